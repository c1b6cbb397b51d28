// Every tmux call: an argument array on the recorded socket, with a timeout, never a shell.
import { execFile } from 'node:child_process';
import { clip } from '../types.js';

/** Runs `tmux -S <socket> <args…>`; resolves with stdout, rejects with a TmuxError. */
export type TmuxRunner = (args: readonly string[], input?: string) => Promise<string>;

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
const GONE =
  /no server running|error connecting to .*\((No such file or directory|Connection refused)\)|can't find (pane|window|session|client)|server exited/i;

// Spawned with node's execFile rather than execa: a wake-up waits for one of these calls before
// its text shows, and execa's extra work costs about 2 ms a call on a busy machine. The guarantees
// are the same: an argument array and no shell, a timeout, bounded output, a scrubbed TMUX.
export function createTmuxRunner(options: { tmux: string; socket: string; timeoutMs: number }): TmuxRunner {
  return (args, input) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(
        options.tmux,
        ['-S', options.socket, ...args],
        {
          timeout: options.timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 4 * 1024 * 1024,
          encoding: 'utf8',
          windowsHide: true,
          // The agent may itself run inside tmux; only the socket we name may be used.
          env: { ...process.env, TMUX: undefined, TMUX_PANE: undefined },
        },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout.replace(/\r?\n$/, ''));
          if ((error as { killed?: boolean }).killed) return reject(new TmuxError(`tmux ${args[0]} timed out after ${options.timeoutMs} ms`, false));
          const text = clip(stderr || error.message || `exit code ${String(error.code)}`);
          reject(new TmuxError(`tmux ${args[0]}: ${text}`, GONE.test(stderr)));
        },
      );
      // A tmux that exits before reading its input must not fail the call with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
    });
}
