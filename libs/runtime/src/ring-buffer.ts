/**
 * A bounded first-in-first-out list: pushing beyond the capacity forgets the oldest entry. Used for the last stderr
 * lines of a container, served later by the logs route and quoted in probe failures.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  private dropped = 0;

  /** @param capacity the number of entries kept (at least 1; default 500). */
  constructor(readonly capacity = 500) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('RingBuffer capacity must be an integer >= 1');
    this.items = new Array<T | undefined>(capacity);
  }

  /** The number of entries held. */
  get size(): number {
    return this.count;
  }

  /** How many entries were forgotten because the buffer was full. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Adds an entry, forgetting the oldest one when full. */
  push(item: T): void {
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count += 1;
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.dropped += 1;
  }

  /** The entries, oldest first. */
  toArray(): T[] {
    return this.tail(this.count);
  }

  /** The last `n` entries (fewer when it holds fewer), oldest first. */
  tail(n: number): T[] {
    const take = Math.max(0, Math.min(Math.floor(n), this.count));
    const result: T[] = [];
    for (let i = this.count - take; i < this.count; i += 1) {
      result.push(this.items[(this.start + i) % this.capacity] as T);
    }
    return result;
  }

  /** Forgets every entry. */
  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
