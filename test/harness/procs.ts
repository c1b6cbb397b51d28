// Real processes for the end-to-end suites: started with execa (argument arrays, a timeout), their
// output kept in a bounded buffer for failure messages, stopped with SIGTERM or killed with
// SIGKILL on demand, and every one of them gone after `stopAll()`, also when a test failed.
import { tmpdir } from 'node:os';
import { execa, type ResultPromise } from 'execa';
import { waitFor } from './wait.js';

/** Output kept per process: the tail is what explains a failure. */
const LOG_BYTES = 256 * 1024;
/** No process of a suite may outlive this, whatever happens to the test. */
const HARD_TIMEOUT_MS = 15 * 60_000;

export interface SpawnOptions {
  /** Added to a minimal environment (PATH, HOME, LANG, TZ): nothing leaks in from the runner's. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run inside this network namespace (`ip netns exec`, which execs, so the pid is the program's). */
  netns?: string | undefined;
  /** Text for stdin, then stdin is closed. */
  input?: string;
}

export interface Exit {
  code: number | undefined;
  signal: string | undefined;
}

export class Proc {
  private out = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;

  constructor(
    readonly name: string,
    private readonly child: ResultPromise,
  ) {
    const keep = (chunk: Buffer) => {
      this.out += chunk.toString('utf8');
      if (this.out.length > LOG_BYTES * 2) this.out = this.out.slice(-LOG_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = child.then(
      (r) => (this.exit = { code: r.exitCode, signal: r.signal }),
      (err: { exitCode?: number; signal?: string }) => (this.exit = { code: err.exitCode, signal: err.signal }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  get exitInfo(): Exit | null {
    return this.exit;
  }

  logs(): string {
    return this.out.length > LOG_BYTES ? this.out.slice(-LOG_BYTES) : this.out;
  }

  /** SIGKILL, and wait until it is gone. */
  async kill9(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM; SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<Exit> {
    if (!this.alive) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The processes one test started. */
export class Procs {
  private readonly all: Proc[] = [];

  spawn(name: string, file: string, args: string[], options: SpawnOptions = {}): Proc {
    const [cmd, argv] = options.netns ? ['ip', ['netns', 'exec', options.netns, file, ...args]] : [file, args];
    const child = execa(cmd, argv, {
      env: { PATH: process.env.PATH, HOME: tmpdir(), LANG: 'C.UTF-8', TZ: 'UTC', ...options.env },
      extendEnv: false,
      cwd: options.cwd,
      reject: false,
      buffer: false,
      timeout: HARD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      cleanup: true,
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    });
    const proc = new Proc(name, child);
    this.all.push(proc);
    return proc;
  }

  /** A node program. */
  node(name: string, script: string, args: string[], options: SpawnOptions = {}): Proc {
    return this.spawn(name, process.execPath, [script, ...args], options);
  }

  /** Every process's tail of output, for a failure message. */
  logs(filter?: (p: Proc) => boolean): string {
    return this.all
      .filter(filter ?? (() => true))
      .map((p) => `--- ${p.name} (pid ${p.pid}${p.exitInfo ? `, exited ${JSON.stringify(p.exitInfo)}` : ''}) ---\n${p.logs()}`)
      .join('\n');
  }

  /** Stops everything still running (SIGTERM, then SIGKILL), in reverse order of start. */
  async stopAll(graceMs = 5_000): Promise<void> {
    await Promise.all([...this.all].reverse().map((p) => p.stop(graceMs).catch(() => undefined)));
    await waitFor('every process to exit', () => this.all.every((p) => !p.alive), { timeoutMs: graceMs + 5_000 }).catch(() => undefined);
  }
}
