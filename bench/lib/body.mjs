// Turn bodies of the load generators: the send time first (for end-to-end delay), padded to a
// size. The padding is built once, so a poster spends its time posting, not building strings.

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const nowMs = () => performance.timeOrigin + performance.now();

const PADDING = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
let padding = PADDING;

/** A body of `bytes` ASCII bytes starting with `t=<send time> `. */
export function bodyFor(bytes) {
  const stamp = `t=${nowMs().toFixed(3)} `;
  while (padding.length < bytes) padding += PADDING;
  return stamp + padding.slice(0, Math.max(0, bytes - stamp.length));
}
