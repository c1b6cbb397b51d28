// The one way every test and benchmark waits: for a condition, with a deadline, never a fixed
// sleep. It lives in core (reached as `@crosstalk/core/test-support`) so that the packages' unit
// tests and the end-to-end suites share it without test code in the products; timers only, no I/O.

/** A condition: its value once it holds; undefined, null or false while it does not yet. */
export type Check<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

export interface WaitOptions {
  /** How long to keep looking; 30 s by default, since suites share small machines. */
  timeoutMs?: number;
  /** How long to pause between looks; 20 ms by default. */
  intervalMs?: number;
  /** Everything that explains a timeout (every process's output, the panes), appended to the error. */
  logs?: () => string | Promise<string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_INTERVAL_MS = 20;

/**
 * Looks at `check` until it returns something other than undefined, null or false, and returns
 * that. A check that throws is looked at again until the deadline; a timeout names `what`, the
 * check's last error, and the logs.
 */
export async function waitFor<T>(what: string, check: Check<T>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw await timedOut(what, timeoutMs, lastError, options.logs);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function timedOut(what: string, timeoutMs: number, lastError: unknown, logs: WaitOptions['logs']): Promise<Error> {
  const why = lastError === undefined ? '' : `\nlast error: ${lastError instanceof Error ? (lastError.stack ?? lastError.message) : String(lastError)}`;
  const text = logs
    ? await Promise.resolve()
        .then(logs)
        .catch((error: unknown) => `(logs unavailable: ${String(error)})`)
    : '';
  return new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${text ? `\n${text}` : ''}`);
}
