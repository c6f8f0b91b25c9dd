/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /**
   * Give up after this many milliseconds. Generous on purpose: it bounds a broken test,
   * it is not a performance assertion.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Time between two checks, in milliseconds.
   * @default 20
   */
  intervalMs?: number;
  /** Said in the error when time runs out. */
  description?: string;
}

/** Resolves with the first truthy value `check` returns; rejects when time runs out. */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  options: WaitUntilOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 20, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
