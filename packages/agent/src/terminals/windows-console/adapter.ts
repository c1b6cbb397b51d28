// Wakes a session in a Windows console through the short-lived helper process.
import { fileURLToPath } from 'node:url';
import { parseJson, sanitizeWakeText, type SessionKind, type WakeTarget } from '@crosstalk/core';
import { execa } from 'execa';
import * as z from 'zod';
import { processAlive } from '../../os/process-alive.js';
import { textRecords } from './records.js';
import { KeyedSerializer } from '../serial.js';
import { type AdapterBase, clip, DEFER_REASONS, FAIL_REASONS, failed, type TargetAdapter, type WakeOutcome } from '../types.js';

export type ConsoleTarget = Extract<WakeTarget, { type: 'console' }>;

export interface ConsoleAdapterOptions extends AdapterBase {
  platform: NodeJS.Platform;
  /** The node binary that runs the helper. */
  node: string;
  /** Path of the helper script (helper.js next to this file when built, and in the CLI's bundle). */
  helper: string;
}

/** Targets reach the adapter validated by createWaker (core's WakeTargetSchema). */
export type ConsoleAdapter = TargetAdapter<ConsoleTarget>;

export const DEFAULT_CONSOLE_HELPER = fileURLToPath(new URL('./helper.js', import.meta.url));

const helperOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('delivered') }),
  z.object({ status: z.literal('deferred'), reason: z.enum(DEFER_REASONS), detail: z.string().max(1000).optional() }),
  z.object({
    status: z.literal('failed'),
    reason: z.enum(FAIL_REASONS),
    detail: z.string().max(1000).optional(),
  }),
]);

export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  const { timeouts, logger } = options;
  const serial = new KeyedSerializer();

  async function runHelper(pid: number, text: string, kind: SessionKind | undefined): Promise<WakeOutcome> {
    // The kind tells the helper which screen reader to use (docs/WAKE.md): none for `other`.
    const args = [options.helper, String(pid), String(timeouts.settleMs), kind ?? 'other', String(timeouts.submitMs)];
    const result = await execa(options.node, args, {
      input: textRecords(text).toString('base64'),
      timeout: timeouts.helperMs,
      reject: false,
      windowsHide: true,
      maxBuffer: 64 * 1024,
    });
    if (result.timedOut) return failed('wake-error', `the console helper timed out after ${timeouts.helperMs} ms`);
    const lastLine = String(result.stdout).trim().split('\n').pop() ?? '';
    const outcome = helperOutcome.safeParse(parseJson(lastLine));
    if (outcome.success) {
      const o = outcome.data;
      return o.status === 'delivered' ? o : { ...o, ...(o.detail === undefined ? {} : { detail: clip(o.detail) }) };
    }
    return failed('wake-error', clip(`the console helper failed: ${String(result.stderr) || result.shortMessage || lastLine}`));
  }

  return {
    async wake(target, line, wakeOptions = {}) {
      if (options.platform !== 'win32') return failed('wake-error', 'console targets can be woken only on Windows');
      // Without a recorded agent the join ran from a bare shell; never type into one.
      if (!target.agentCommand) return failed('bare-shell', 'the session joined from a shell without a coding agent');
      const text = sanitizeWakeText(line);
      if (text === '') return failed('wake-error', 'the wake-up line is empty after sanitising');
      const outcome = await serial.run(String(target.pid), async () => {
        if (!processAlive(target.pid)) return failed('process-gone', `process ${target.pid} no longer exists`);
        try {
          await wakeOptions.beforeTyping;
        } catch (error) {
          return failed('wake-error', clip(error instanceof Error ? error.message : String(error)));
        }
        return runHelper(target.pid, text, wakeOptions.kind);
      });
      logger?.debug({ pid: target.pid, outcome }, 'console wake-up');
      return outcome;
    },

    async probe(target) {
      return processAlive(target.pid) ? 'alive' : 'gone';
    },
  };
}
