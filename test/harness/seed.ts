// Seeds for the randomized suites: taken from an environment variable when given (to repeat a
// run), otherwise from the clock; always printed.
import { seeded } from '@crosstalk/core/test-support';

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
