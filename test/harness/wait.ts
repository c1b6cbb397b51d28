// Waiting for a condition with a deadline: never a fixed sleep. On timeout the error carries the
// logs of every process involved, so a failure explains itself.

export type Check<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

export interface WaitOptions {
  timeoutMs?: number;
  /** How often to look again. */
  everyMs?: number;
  /** Logs to attach to the error on timeout. */
  logs?: () => string | Promise<string>;
}

export async function waitFor<T>(what: string, check: Check<T>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const everyMs = options.everyMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = null;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const logs = options.logs ? await Promise.resolve(options.logs()).catch((e: unknown) => `(logs unavailable: ${String(e)})`) : '';
      const why = lastError ? `\nlast error: ${String((lastError as Error)?.stack ?? lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${logs ? `\n${logs}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
