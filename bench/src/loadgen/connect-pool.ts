/** What {@link runPool} saw. */
export interface PoolResult {
  ok: number;
  failed: number;
  /** The first failure's message, for the report. */
  firstError?: string;
}

/**
 * Runs `task(i)` for i = 0..count-1 with at most `concurrency` in flight (connection storms
 * stay at or under 500 handshakes in flight).
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<PoolResult> {
  let next = 0;
  const result: PoolResult = { ok: 0, failed: 0 };
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      try {
        await task(index);
        result.ok += 1;
      } catch (error) {
        result.failed += 1;
        result.firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return result;
}
