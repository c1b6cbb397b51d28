// `crosstalk …` as a real process (the built CLI bundle) with an explicit environment, in a host's
// network namespace when it has one; every run goes into the log book, so a failed wait shows
// what each command printed.
import type { LogBook } from './logbook.js';
import { CLI_BIN, NODE } from './paths.js';
import { runToEnd } from './process.js';

export interface CliResult {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not). */
  json<T = any>(): T;
}

export interface CliOptions {
  /** The environment of the process, over PATH, HOME, LANG and TZ (see Lab.env). */
  env: Record<string, string | undefined>;
  netns?: string | undefined;
  /** Text for stdin; without it stdin is closed (not a terminal, empty). */
  input?: string | Buffer;
  cwd?: string;
  timeoutMs?: number;
}

export async function runCli(book: LogBook, args: string[], options: CliOptions): Promise<CliResult> {
  const r = await runToEnd(NODE, [CLI_BIN, ...args], options);
  const where = `home ${options.env.CROSSTALK_HOME ?? '-'}${options.netns ? `, netns ${options.netns}` : ''}`;
  book
    .log(`$ crosstalk ${args.join(' ')} (${where})`, 20_000)
    .write(`exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n`);
  return {
    args,
    exitCode: r.exitCode,
    stdout: r.stdout,
    stderr: r.stderr,
    json<T>() {
      try {
        return JSON.parse(r.stdout) as T;
      } catch {
        throw new Error(`crosstalk ${args.join(' ')} did not print JSON (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
      }
    },
  };
}

/** A result as text, for assertion messages. */
export function explain(r: CliResult): string {
  return `crosstalk ${r.args.join(' ')} → exit ${r.exitCode}\n--- stdout\n${r.stdout.slice(0, 4000)}\n--- stderr\n${r.stderr.slice(0, 4000)}`;
}
