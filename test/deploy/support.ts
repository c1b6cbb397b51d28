// Helpers for the deployment tests: the repository's files as text, a Dockerfile reader, and
// compose-style variable interpolation. (Processes and waiting are the harness's.)
import { readFileSync } from 'node:fs';
import { repoFile } from '../harness/index.js';

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
