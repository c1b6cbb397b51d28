// Remembers every accepted token id until its token can no longer be valid, so none is accepted
// twice. Entries live in buckets by expiry time; a whole bucket is dropped once it has expired,
// so sweeping costs nothing per entry. Bounded: when full, new tokens are refused (fail closed).
const BUCKET_SECONDS = 16;

export class ReplayCache {
  private readonly buckets = new Map<number, Set<string>>();
  private count = 0;

  constructor(
    private readonly maxEntries: number,
    /** Seconds a token stays acceptable after its `exp` (the clock tolerance). */
    private readonly graceSeconds: number,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Records `id` (valid until `exp`, in seconds); false when it was seen before or the cache is full. */
  add(id: string, exp: number, nowSeconds: number): 'added' | 'replayed' | 'full' {
    this.sweep(nowSeconds);
    for (const set of this.buckets.values()) if (set.has(id)) return 'replayed';
    if (this.count >= this.maxEntries) return 'full';
    const key = Math.floor((exp + this.graceSeconds) / BUCKET_SECONDS);
    let set = this.buckets.get(key);
    if (!set) this.buckets.set(key, (set = new Set()));
    set.add(id);
    this.count++;
    return 'added';
  }

  private sweep(nowSeconds: number): void {
    for (const [key, set] of this.buckets) {
      // Every entry in the bucket expired before the bucket's end.
      if ((key + 1) * BUCKET_SECONDS <= nowSeconds) {
        this.count -= set.size;
        this.buckets.delete(key);
      }
    }
  }
}
