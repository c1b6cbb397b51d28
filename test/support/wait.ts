// Waiting for a condition with a deadline, never a fixed sleep. On timeout the error carries the
// logs of every process involved, so a failure explains itself.

export interface WaitOptions {
  /** Default 30 s: the tests share a small machine with other suites. */
  timeoutMs?: number;
  /** Poll interval, default 50 ms. */
  intervalMs?: number;
  /** Logs to attach to the timeout error (e.g. `lab.logs`). */
  logs?: () => string | Promise<string>;
}

/**
 * Polls `check` until it returns something other than undefined, null or false, and returns
 * that. A check that throws is retried until the deadline; the last error is reported.
 */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError === undefined ? '' : `\nlast error: ${lastError instanceof Error ? lastError.stack ?? lastError.message : String(lastError)}`;
      const logs = options.logs ? `\n${await options.logs()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${logs}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
