// Helpers for the deployment tests: the repository's files, a Dockerfile reader, compose-style
// variable interpolation, and waiting on a condition with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
export const readRepoFile = (path: string) => readFileSync(repoFile(path), 'utf8');

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, … */
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, continuations joined). */
export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (pending === undefined && /^\s*(#|$)/.test(line)) return;
    if (pending !== undefined && /^\s*#/.test(line)) return;
    const continued = /\\\s*$/.test(line);
    const part = line.replace(/\\\s*$/, '');
    pending = pending === undefined ? { text: part, line: i + 1 } : { ...pending, text: `${pending.text} ${part.trim()}` };
    if (!continued) {
      const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(pending.text);
      if (!m) throw new Error(`line ${pending.line}: not an instruction: ${pending.text}`);
      instructions.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: pending.line });
      pending = undefined;
    }
  });
  if (pending !== undefined) throw new Error('the Dockerfile ends inside a continued line');
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: bad FROM`);
      stages.push({ image: m[1]!, name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (ins.op !== 'ARG') throw new Error(`line ${ins.line}: ${ins.op} before FROM`);
      args.push(ins);
    } else stages.at(-1)!.instructions.push(ins);
  }
  return { args, stages };
}

/** `${VAR:-default}` and `${VAR}` as docker compose interpolates them. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    return value === undefined || value === '' ? (fallback ?? '') : value;
  });
}

/** Polls until `check` returns a value, or fails after `timeoutMs` with `describe()` in the message. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a process and collects everything it prints. */
export function start(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Started {
  const child = spawn(command, args, { cwd: options.cwd ?? REPO, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      out += `\n[spawn error] ${err.message}`;
      resolve(null);
    });
    child.on('exit', (code) => resolve(code));
  });
  return { child, output: () => out, exited };
}

/** Runs a process to its end (with a generous timeout) and returns its exit code and output. */
export async function run(command: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const p = start(command, args);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output() };
}
