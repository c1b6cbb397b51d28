// Waiting on an AbortSignal as a promise, for long-running commands (wait, tail -f, up, serve).
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Exit code of a command stopped by Ctrl-C (128 + SIGINT). */
export const INTERRUPTED = 130;
