// Real processes for the suites: started with execa (argument arrays, an explicit environment,
// a hard timeout), inside a network namespace when given one, their output in the log book, and
// stopped with SIGTERM or killed with SIGKILL on demand. `Procs` holds what one test started, so
// that `stopAll()` leaves nothing running, also when the test failed.
import { tmpdir } from 'node:os';
import { waitFor } from '@crosstalk/core/test-support';
import { execa, type ResultPromise } from 'execa';
import { LogBook, type Log } from './logbook.js';

/** No process of a suite may outlive this, whatever happens to the test. */
const HARD_TIMEOUT_MS = 15 * 60_000;
/** What a process's own stdout and stderr keep for assertions: the tail. */
const KEPT_CHARS = 1024 * 1024;

/** The agent's own check: whether a process with this id exists. */
export { processAlive } from '@crosstalk/agent';

export interface SpawnOptions {
  /** Added to a minimal environment (PATH, HOME, LANG, TZ): nothing leaks in from the runner's. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run inside this network namespace (`ip netns exec`, which execs, so the pid is the program's). */
  netns?: string | undefined;
  /** Text for stdin, then stdin is closed; without it stdin is closed at once. */
  input?: string | Buffer;
  timeoutMs?: number;
}

export interface Exit {
  exitCode: number | undefined;
  signal: string | undefined;
}

/** The environment every process starts from; `extra` is laid over it. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: tmpdir(), LANG: 'C.UTF-8', TZ: 'UTC', ...extra };
}

/** execa's options for a child of a suite: explicit environment, no shell, stdin as asked. */
function childOptions(options: SpawnOptions) {
  return {
    env: baseEnv(options.env),
    extendEnv: false,
    cwd: options.cwd,
    reject: false,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  };
}

/** `file args` as argv, wrapped in `ip netns exec` when it runs in a namespace. */
export function inNetns(netns: string | undefined, file: string, args: string[]): [string, string[]] {
  return netns ? ['ip', ['netns', 'exec', netns, file, ...args]] : [file, args];
}

export class Proc {
  private out = '';
  private err = '';
  private exit: Exit | null = null;
  readonly exited: Promise<Exit>;

  constructor(
    readonly name: string,
    private readonly child: ResultPromise,
    readonly log: Log,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.out = this.keep(this.out, chunk)));
    child.stderr?.on('data', (chunk: Buffer) => (this.err = this.keep(this.err, chunk)));
    this.exited = child.then(
      (r) => this.ended({ exitCode: r.exitCode, signal: r.signal }),
      (e: { exitCode?: number; signal?: string }) => this.ended({ exitCode: e.exitCode, signal: e.signal }),
    );
  }

  private keep(kept: string, chunk: Buffer): string {
    const text = chunk.toString('utf8');
    this.log.write(text);
    const all = kept + text;
    return all.length > KEPT_CHARS * 2 ? all.slice(-KEPT_CHARS) : all;
  }

  private ended(exit: Exit): Exit {
    this.exit = exit;
    this.log.write(`\n[exited: code ${exit.exitCode ?? '-'}, signal ${exit.signal ?? '-'}]\n`);
    return exit;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** How it ended, or null while it runs. */
  get exitInfo(): Exit | null {
    return this.exit;
  }

  stdout(): string {
    return this.out.slice(-KEPT_CHARS);
  }

  stderr(): string {
    return this.err.slice(-KEPT_CHARS);
  }

  /** Both streams as they arrived (the tail), for failure messages. */
  logs(): string {
    return this.log.text();
  }

  /** A signal (SIGTERM by default), then SIGKILL if it has not exited after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: no flush, no goodbye; resolves once it is gone. */
  async kill9(): Promise<Exit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** The processes one test started, and the log book they write to. */
export class Procs {
  private readonly all: Proc[] = [];

  constructor(readonly book: LogBook = new LogBook()) {}

  spawn(name: string, file: string, args: string[], options: SpawnOptions = {}): Proc {
    const [cmd, argv] = inNetns(options.netns, file, args);
    const child = execa(cmd, argv, {
      ...childOptions(options),
      buffer: false,
      timeout: options.timeoutMs ?? HARD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      cleanup: true,
    });
    const proc = new Proc(name, child, this.book.log(`${name}: ${[file, ...args].join(' ')}`));
    this.all.push(proc);
    return proc;
  }

  /** A node program. */
  node(name: string, script: string, args: string[], options: SpawnOptions = {}): Proc {
    return this.spawn(name, process.execPath, [script, ...args], options);
  }

  /** Every process's output and every CLI run in the book, for a failure message. */
  logs(): string {
    return this.book.dump();
  }

  /** Stops everything still running (SIGTERM, then SIGKILL), in reverse order of start. */
  async stopAll(graceMs = 5_000): Promise<void> {
    await Promise.all([...this.all].reverse().map((p) => p.stop('SIGTERM', graceMs).catch(() => undefined)));
    await waitFor('every process to exit', () => this.all.every((p) => !p.running), { timeoutMs: graceMs + 5_000 }).catch(() => undefined);
  }
}

export interface Finished {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A short-lived program run to its end (or killed at `timeoutMs`, default a minute). */
export async function runToEnd(file: string, args: string[], options: SpawnOptions = {}): Promise<Finished> {
  const [cmd, argv] = inNetns(options.netns, file, args);
  const r = await execa(cmd, argv, { ...childOptions(options), timeout: options.timeoutMs ?? 60_000 });
  return { exitCode: r.exitCode ?? (r.timedOut ? 124 : -1), stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut: r.timedOut };
}
