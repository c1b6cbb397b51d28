// Running `crosstalk …` as a real process (node packages/cli/dist/bundle/bin.js) with a given home,
// recording every invocation and its output in the log book.
import { execa } from 'execa';
import type { LogBook } from './logbook.js';
import { CLI_BIN, NODE } from './paths.js';

export interface CliResult {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not). */
  json<T = Record<string, unknown>>(): T;
}

export interface CliOptions {
  /** The whole environment of the process (see Lab.env). */
  env: Record<string, string | undefined>;
  /** Text for stdin; without it stdin is closed (not a terminal, empty). */
  input?: string | Buffer;
  cwd?: string;
  timeoutMs?: number;
}

export async function runCli(book: LogBook, args: string[], options: CliOptions): Promise<CliResult> {
  const r = await execa(NODE, [CLI_BIN, ...args], {
    env: options.env,
    extendEnv: false,
    cwd: options.cwd,
    reject: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '');
  const exitCode = r.exitCode ?? (r.timedOut ? 124 : -1);
  book.log(`$ crosstalk ${args.join(' ')} (home ${options.env.CROSSTALK_HOME ?? '-'})`, 20_000).write(`exit ${exitCode}${r.timedOut ? ' (timed out)' : ''}\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
  return {
    args,
    exitCode,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`crosstalk ${args.join(' ')} did not print JSON (exit ${exitCode}):\n${stdout}\n${stderr}`);
      }
    },
  };
}
