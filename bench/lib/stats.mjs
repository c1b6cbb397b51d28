// Order statistics for samples. Medians and p95s, never means: the machine is shared and noisy.

/** The q-quantile (0..1) of the samples, by linear interpolation between order statistics. */
export function quantile(samples, q) {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (samples) => quantile(samples, 0.5);
export const p95 = (samples) => quantile(samples, 0.95);

/** Rates (per second) in consecutive windows, from sorted completion times in ms. */
export function windowRates(times, startMs, endMs, windowMs) {
  const rates = [];
  let i = 0;
  for (let from = startMs; from + windowMs <= endMs + 1e-9; from += windowMs) {
    let count = 0;
    while (i < times.length && times[i] < from) i++;
    let j = i;
    while (j < times.length && times[j] < from + windowMs) j++;
    count = j - i;
    rates.push((count * 1000) / windowMs);
  }
  return rates;
}
