// Waiting for a condition with a deadline (never a fixed sleep), and a bounded overall timer.

export async function waitFor(what, check, { timeoutMs = 30_000, intervalMs = 5, logs = () => '' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${await logs()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Rejects if `promise` takes longer than `ms`. */
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
