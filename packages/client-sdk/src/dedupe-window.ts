/**
 * Remembers the last `capacity` message ids, so that a message delivered twice (a retry by the
 * publisher, a replay after reconnecting) is handled once. Memory stays bounded: the oldest id
 * is forgotten when a new one arrives at capacity.
 */
export class DedupeWindow {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  /** True when `id` was seen already; otherwise remembers it and returns false. */
  seen(id: string): boolean {
    if (this.#ids.has(id)) return true;
    if (this.#capacity === 0) return false;
    if (this.#ids.size >= this.#capacity) {
      // A Set iterates in insertion order: the first id is the oldest.
      const oldest = this.#ids.values().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
    this.#ids.add(id);
    return false;
  }
}
