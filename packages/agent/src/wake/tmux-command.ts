// Every tmux call: an argument array on the recorded socket, with a timeout, never a shell.
import { execa } from 'execa';
import { clip } from './types.js';

export interface TmuxRunner {
  /** Runs `tmux -S <socket> <args…>`; resolves with stdout, rejects with a TmuxError. */
  (args: readonly string[], input?: string): Promise<string>;
}

/** A failed tmux call. `gone` means the server or the target no longer exists. */
export class TmuxError extends Error {
  constructor(
    message: string,
    readonly gone: boolean,
  ) {
    super(message);
    this.name = 'TmuxError';
  }
}

// What tmux prints when the server is not running or the target was not found.
const GONE = /no server running|error connecting to .*\((No such file or directory|Connection refused)\)|can't find (pane|window|session|client)|server exited/i;

export function createTmuxRunner(options: { tmux: string; socket: string; timeoutMs: number }): TmuxRunner {
  return async (args, input) => {
    const result = await execa(options.tmux, ['-S', options.socket, ...args], {
      reject: false,
      timeout: options.timeoutMs,
      maxBuffer: 4 * 1024 * 1024,
      // The agent may itself run inside tmux; only the socket we name may be used.
      env: { TMUX: undefined, TMUX_PANE: undefined },
      ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    });
    if (!result.failed) return result.stdout;
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    if (result.timedOut) throw new TmuxError(`tmux ${args[0]} timed out after ${options.timeoutMs} ms`, false);
    const text = clip(stderr || (result.shortMessage ?? `exit code ${result.exitCode}`));
    throw new TmuxError(`tmux ${args[0]}: ${text}`, GONE.test(stderr));
  };
}
