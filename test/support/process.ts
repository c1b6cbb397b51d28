// Long-running processes (relays, agents, `tail -f`, `up`) started with execa: argument arrays,
// a hard timeout, their output in the log book, and stop/kill that wait for the exit.
import { execa, type ResultPromise } from 'execa';
import type { Log, LogBook } from './logbook.js';

export interface Exit {
  exitCode: number | undefined;
  signal: string | undefined;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly log: Log;
  /** Everything it wrote to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited. */
  readonly exited: Promise<Exit>;
  readonly running: boolean;
  /** Sends a signal and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
  kill(): Promise<Exit>;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Hard limit for the whole process, default 170 s (under the e2e test timeout). */
  timeoutMs?: number;
  /** Text for stdin; stdin is closed after it (or at once when absent). */
  input?: string;
}

export function spawnProcess(book: LogBook, name: string, file: string, args: string[], options: SpawnOptions): ManagedProcess {
  const log = book.log(`${name}: ${[file, ...args].join(' ')}`);
  let out = '';
  let err = '';
  const child: ResultPromise = execa(file, args, {
    env: options.env,
    extendEnv: false,
    cwd: options.cwd,
    reject: false,
    buffer: false,
    timeout: options.timeoutMs ?? 170_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    log.write(chunk.toString('utf8'));
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    log.write(chunk.toString('utf8'));
  });
  let running = true;
  const exited: Promise<Exit> = child.then(
    (r) => {
      running = false;
      log.write(`\n[exited: code ${r.exitCode}, signal ${r.signal ?? '-'}]\n`);
      return { exitCode: r.exitCode, signal: r.signal };
    },
    (e: { exitCode?: number; signal?: string }) => {
      running = false;
      return { exitCode: e.exitCode, signal: e.signal };
    },
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<Exit> => {
    if (!running) return exited;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };
  return {
    name,
    pid: child.pid ?? -1,
    log,
    stdout: () => out,
    stderr: () => err,
    exited,
    get running() {
      return running;
    },
    stop,
    kill: () => stop('SIGKILL'),
  };
}
