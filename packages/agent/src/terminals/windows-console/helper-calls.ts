// The helper's `screen` and `interrupt` modes run from the agent or the CLI: one short-lived process
// each, its one JSON line checked and bounded.
import { parseJson } from '@crosstalk/core';
import { execa } from 'execa';
import * as z from 'zod';
import type { PaneView } from '../tmux/submit.js';
import { DEFAULT_CONSOLE_HELPER } from './adapter.js';

export interface HelperCall {
  /** The node binary that runs the helper; default the running one. */
  node?: string;
  helper?: string;
  timeoutMs?: number;
}

const screenAnswer = z.union([
  z.strictObject({ lines: z.array(z.string().max(4000)).max(500), cursorX: z.number().int(), cursorY: z.number().int() }),
  z.strictObject({ error: z.string().max(2000) }),
]);
const interruptAnswer = z.union([z.strictObject({ ok: z.literal(true) }), z.strictObject({ error: z.string().max(2000) })]);

async function call<T>(args: string[], schema: z.ZodType<T>, o: HelperCall): Promise<T> {
  const r = await execa(o.node ?? process.execPath, [o.helper ?? DEFAULT_CONSOLE_HELPER, ...args], {
    timeout: o.timeoutMs ?? 10_000,
    reject: false,
    windowsHide: true,
    stdin: 'ignore',
    maxBuffer: 4 * 1024 * 1024,
  });
  const last = String(r.stdout).trim().split('\n').pop() ?? '';
  const answer = schema.safeParse(parseJson(last));
  if (!answer.success) throw new Error(`the console helper failed: ${(String(r.stderr) || r.shortMessage || last).slice(0, 500)}`);
  return answer.data;
}

/** `rows` 0: the window (for the screen readers); else the last `rows` rows, scrollback included. */
export async function consoleScreen(pid: number, rows: number, o: HelperCall = {}): Promise<PaneView> {
  const answer = await call(['screen', String(pid), String(rows)], screenAnswer, o);
  if ('error' in answer) throw new Error(answer.error);
  return answer;
}

/** CTRL+C to every program of the console; null when sent, else why not. */
export async function interruptConsoleOf(pid: number, o: HelperCall = {}): Promise<string | null> {
  const answer = await call(['interrupt', String(pid)], interruptAnswer, o);
  return 'error' in answer ? answer.error : null;
}
