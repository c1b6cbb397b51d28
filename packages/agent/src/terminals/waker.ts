// The one entry point the agent's event loop uses: createWaker(options).wake(target, line).
import { isAbsolute } from 'node:path';
import { CrosstalkError, WakeTargetSchema, type WakeTarget } from '@crosstalk/core';
import * as z from 'zod';
import { createConsoleAdapter, DEFAULT_CONSOLE_HELPER } from './windows-console/adapter.js';
import type { ProcessEntry } from './processes/names.js';
import { readProcessTable, readProcessTree } from './processes/read.js';
import { createTmuxAdapter } from './tmux/adapter.js';
import { clip, DEFAULT_WAKE_TIMEOUTS, failed, type WakeAdapter, type WakeLogger, type WakeTimeouts } from './types.js';

export interface WakerOptions {
  /** The OS the agent runs on (`process.platform`). */
  platform: NodeJS.Platform;
  /** Overrides of DEFAULT_WAKE_TIMEOUTS. */
  timeouts?: Partial<WakeTimeouts>;
  /** The tmux binary; default `tmux` from PATH. */
  tmux?: string;
  /** The node binary for the Windows helper; default the running one. */
  node?: string;
  /** The Windows helper script; default the built helper.js beside the adapter. */
  consoleHelper?: string;
  logger?: WakeLogger;
}

const ms = (min: number, max: number) => z.number().int().min(min).max(max);

const timeoutsSchema = z.object({
  commandMs: ms(100, 120_000),
  // At least 300 ms between the text and Enter for an agent whose pause nobody measured;
  // the measured kinds take their own (docs/WAKE.md, "The pause before Enter").
  settleMs: ms(300, 10_000),
  settleMsByKind: z.object({ 'claude-code': ms(0, 10_000), codex: ms(0, 10_000) }),
  submitMs: ms(0, 60_000),
  userIdleMs: ms(0, 600_000),
  helperMs: ms(1_000, 300_000),
});

/** Validates the options once; throws CONFIG_INVALID naming the bad value. */
function resolveTimeouts(overrides: Partial<WakeTimeouts> = {}): WakeTimeouts {
  const settleMsByKind = { ...DEFAULT_WAKE_TIMEOUTS.settleMsByKind, ...overrides.settleMsByKind };
  const parsed = timeoutsSchema.safeParse({ ...DEFAULT_WAKE_TIMEOUTS, ...overrides, settleMsByKind });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrosstalkError('CONFIG_INVALID', `invalid wake timeout ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'out of range'}`, {
      hint: 'wake timeouts are whole milliseconds; settleMs is at least 300',
    });
  }
  return parsed.data;
}

/** A waker that dispatches on the target's type: tmux pane, Windows console, or none. */
export function createWaker(options: WakerOptions): WakeAdapter {
  const timeouts = resolveTimeouts(options.timeouts);
  const readTable = (): Promise<ProcessEntry[]> => readProcessTable({ platform: options.platform, timeoutMs: timeouts.commandMs });
  const readTree = (rootPid: number): Promise<ProcessEntry[]> => readProcessTree(rootPid, { platform: options.platform, timeoutMs: timeouts.commandMs });
  const tmux = createTmuxAdapter({ tmux: options.tmux ?? 'tmux', timeouts, readTable, readTree, logger: options.logger });
  const windowsConsole = createConsoleAdapter({
    platform: options.platform,
    node: options.node ?? process.execPath,
    helper: options.consoleHelper ?? DEFAULT_CONSOLE_HELPER,
    timeouts,
    logger: options.logger,
  });
  return {
    async wake(target, line, wakeOptions) {
      const checked = checkTarget(target);
      if (typeof checked === 'string') return failed('wake-error', checked);
      switch (checked.type) {
        case 'tmux':
          return tmux.wake(checked, line, wakeOptions);
        case 'console':
          return windowsConsole.wake(checked, line, wakeOptions);
        case 'none':
          return failed('no-wake-target');
      }
    },
    async probe(target) {
      const checked = checkTarget(target);
      if (typeof checked === 'string') return 'gone';
      switch (checked.type) {
        case 'tmux':
          return tmux.probe(checked);
        case 'console':
          return windowsConsole.probe(checked);
        case 'none':
          // Nothing to check: a poll-only session is as alive as its link.
          return 'alive';
      }
    },
  };
}

/** Targets come from the relay: the same schema as on the wire, and an absolute tmux socket. */
function checkTarget(target: unknown): WakeTarget | string {
  const parsed = WakeTargetSchema.safeParse(target);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return clip(`invalid wake target: ${issue?.path.join('.') || 'type'} ${issue?.message ?? ''}`);
  }
  if (parsed.data.type === 'tmux' && !isAbsolute(parsed.data.socket)) return 'invalid wake target: the tmux socket must be an absolute path';
  return parsed.data;
}
