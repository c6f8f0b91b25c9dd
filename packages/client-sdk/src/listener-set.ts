// biome-ignore lint/suspicious/noExplicitAny: a listener set holds functions of any arguments.
type AnyFunction = (...args: any[]) => void;

interface Entry<F extends AnyFunction> {
  readonly fn: F;
  readonly once: boolean;
}

/**
 * Listeners of one event, called in the order they were added. A listener that throws is
 * reported through `onError` and the others still run: a bug in one store mutation must not
 * silence the rest of the page.
 */
export class ListenerSet<F extends AnyFunction> {
  #entries: Entry<F>[] = [];

  /** The number of listeners. */
  get size(): number {
    return this.#entries.length;
  }

  /** Adds `fn`; returns a function that removes this registration. */
  add(fn: F, once = false): () => void {
    const entry: Entry<F> = { fn, once };
    this.#entries = [...this.#entries, entry];
    return () => {
      this.#entries = this.#entries.filter((candidate) => candidate !== entry);
    };
  }

  /** Removes every registration of `fn`, or every listener when `fn` is undefined. */
  remove(fn?: F): void {
    this.#entries = fn === undefined ? [] : this.#entries.filter((entry) => entry.fn !== fn);
  }

  /** Calls every listener with `args`; what one throws goes to `onError`. */
  emit(args: Parameters<F>, onError: (error: unknown) => void): void {
    const entries = this.#entries;
    if (entries.some((entry) => entry.once)) {
      this.#entries = entries.filter((entry) => !entry.once);
    }
    for (const entry of entries) {
      try {
        entry.fn(...args);
      } catch (error) {
        onError(error);
      }
    }
  }
}
