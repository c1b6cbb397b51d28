// A small cache bounded by the bytes of what it holds, least recently used out first: the turns
// clients read again (a conversation read at each wake-up, a page of the log) without holding
// every body in memory.
export class ByteLru<K, V> {
  private readonly items = new Map<K, { value: V; bytes: number }>();
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: K): V | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    // Map keeps insertion order: re-inserting makes it the most recent.
    this.items.delete(key);
    this.items.set(key, item);
    return item.value;
  }

  set(key: K, value: V, bytes: number): void {
    if (bytes > this.maxBytes) return;
    const old = this.items.get(key);
    if (old) {
      this.used -= old.bytes;
      this.items.delete(key);
    }
    this.items.set(key, { value, bytes });
    this.used += bytes;
    for (const [k, item] of this.items) {
      if (this.used <= this.maxBytes) break;
      this.items.delete(k);
      this.used -= item.bytes;
    }
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.items.size;
  }
}
