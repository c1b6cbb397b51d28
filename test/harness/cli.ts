// `crosstalk …` as a real process (the built CLI), as a given host: its home, and its network
// namespace when it has one. Every run is kept for failure messages.
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { CLI_BIN } from './paths.js';

export interface CliRun {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

export interface CliAs {
  home: string | undefined;
  netns?: string | undefined;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

export class CliBook {
  private readonly runs: string[] = [];

  async run(args: string[], as: CliAs): Promise<CliRun> {
    const argv = [CLI_BIN, ...args];
    const [file, full] = as.netns ? ['ip', ['netns', 'exec', as.netns, process.execPath, ...argv]] : [process.execPath, argv];
    const r = await execa(file, full, {
      env: { PATH: process.env.PATH, HOME: as.home ?? tmpdir(), LANG: 'C.UTF-8', TZ: 'UTC', CROSSTALK_HOME: as.home, ...as.env },
      extendEnv: false,
      reject: false,
      timeout: as.timeoutMs ?? 60_000,
      ...(as.input === undefined ? { stdin: 'ignore' as const } : { input: as.input }),
    });
    const run: CliRun = {
      args,
      exitCode: r.exitCode ?? (r.timedOut ? 124 : -1),
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      json() {
        try {
          return JSON.parse(this.stdout);
        } catch {
          throw new Error(`crosstalk ${args.join(' ')} printed no JSON (exit ${this.exitCode})\n${this.stdout}\n${this.stderr}`);
        }
      },
    };
    this.runs.push(explain(run));
    if (this.runs.length > 200) this.runs.shift();
    return run;
  }

  logs(): string {
    return this.runs.join('\n');
  }
}

export function explain(r: CliRun): string {
  return `$ crosstalk ${r.args.join(' ')} → exit ${r.exitCode}\n--- stdout\n${r.stdout.slice(0, 4000)}\n--- stderr\n${r.stderr.slice(0, 4000)}`;
}
