// Seeds for the randomized suites: taken from an environment variable when given (to repeat a
// run), otherwise from the clock; always printed.

/** mulberry32: small, fast, seedable. Returns floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for a suite: `value` (an environment variable's text) when it is a number, else the clock. */
export function pickSeed(value: string | undefined): number {
  if (value !== undefined && /^\d{1,10}$/.test(value.trim())) return Number(value.trim()) >>> 0;
  return (Date.now() ^ (process.pid << 8)) >>> 0;
}

export interface Rng {
  readonly seed: number;
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  const next = seeded(seed);
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
  };
}
