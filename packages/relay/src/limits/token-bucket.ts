// Token buckets keyed by host (or remote address): `burst` tokens, refilled at `perSecond`.
export interface RateConfig {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets untouched this long are full again and can be forgotten. */
const IDLE_MS = 10 * 60_000;
const MAX_KEYS = 100_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastPrune = 0;

  constructor(
    private readonly config: RateConfig | false,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.config !== false;
  }

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    if (this.config === false) return true;
    const { perSecond, burst } = this.config;
    const t = this.now();
    this.prune(t);
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_KEYS) return false;
      b = { tokens: burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private prune(t: number): void {
    if (t - this.lastPrune < IDLE_MS / 10) return;
    this.lastPrune = t;
    for (const [key, b] of this.buckets) if (t - b.at > IDLE_MS) this.buckets.delete(key);
  }
}
