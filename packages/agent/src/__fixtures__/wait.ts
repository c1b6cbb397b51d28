// Waiting for a condition with a deadline, for the agent's tests: polls `check` until it returns
// something other than undefined/false; on timeout fails naming what it waited for, with the logs.
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  logs: () => string | Promise<string> = () => '',
  timeoutMs = 30_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${await logs()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
