// Types of stats.mjs for the TypeScript benchmarks (bench/agents), which share its medians.
export function quantile(samples: readonly number[], q: number): number | null;
export function median(samples: readonly number[]): number | null;
export function p95(samples: readonly number[]): number | null;
export function windowRates(times: readonly number[], startMs: number, endMs: number, windowMs: number): number[];
