/**
 * A first-in, first-out list with O(1) removal at the head and binary search over the rest:
 * the retained entries of one room (or of the whole node), oldest first.
 */
export class EntryQueue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head += 1;
    // Compact once the dead prefix is half the array: amortised O(1), bounded memory.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The items after the first position where `isAfter` holds (the list is sorted by it). */
  *from(isAfter: (item: T) => boolean): Generator<T> {
    let low = this.head;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (isAfter(this.items[mid] as T)) high = mid;
      else low = mid + 1;
    }
    for (let i = low; i < this.items.length; i += 1) yield this.items[i] as T;
  }
}
