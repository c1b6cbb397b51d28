// Wakes a session in a tmux pane: check the pane, paste the line (paste.ts), press Enter
// (enter.ts), check it was taken. One wake-up at a time per pane; every failure becomes an outcome.
import { sanitizeWakeText } from '@crosstalk/core';
import { screenReaderFor } from '../screens/index.js';
import { KeyedSerializer } from '../serial.js';
import { type AdapterBase, clip, failed, type Liveness, settleFor, type TargetAdapter, type WakeOptions, type WakeOutcome } from '../types.js';
import { createTmuxRunner, TmuxError } from './command.js';
import type { PaneContext } from './pane.js';
import { pasteChecked, pasteGuarded, type ProcessReaders } from './paste.js';
import { agentCheck, readPaneState, type TmuxTarget } from './preflight.js';

export interface TmuxAdapterOptions extends ProcessReaders, AdapterBase {
  /** The tmux binary. */
  tmux: string;
}

/** Targets reach the adapter validated by createWaker (core's WakeTargetSchema). */
export type TmuxAdapter = TargetAdapter<TmuxTarget>;

export function createTmuxAdapter(options: TmuxAdapterOptions): TmuxAdapter {
  const serial = new KeyedSerializer();
  const paneOf = (target: TmuxTarget): PaneContext => ({
    tmux: createTmuxRunner({ tmux: options.tmux, socket: target.socket, timeoutMs: options.timeouts.commandMs }),
    pane: target.pane,
    timeouts: options.timeouts,
    logger: options.logger,
  });
  return {
    async wake(target, line, wakeOptions = {}) {
      const text = sanitizeWakeText(line);
      if (text === '') return failed('wake-error', 'the wake-up line is empty after sanitising');
      const outcome = await serial.run(`${target.socket}\0${target.pane}`, () => wakeNow(paneOf(target), target, text, wakeOptions, options));
      options.logger?.debug({ pane: target.pane, socket: target.socket, outcome }, 'tmux wake-up');
      return outcome;
    },
    probe: (target) => probePane(paneOf(target), target, options),
  };
}

async function wakeNow(pane: PaneContext, target: TmuxTarget, text: string, wakeOptions: WakeOptions, readers: ProcessReaders): Promise<WakeOutcome> {
  const { panePid } = target;
  // The pause before Enter is the one measured for this coding agent (enter.ts reads settleMs).
  const ctx = { ...pane, timeouts: { ...pane.timeouts, settleMs: settleFor(pane.timeouts, wakeOptions.kind) } };
  const job = { target, text, beforeTyping: wakeOptions.beforeTyping, reader: screenReaderFor(wakeOptions.kind), handOver: wakeOptions.handOver };
  try {
    if (panePid === undefined) return await pasteChecked(ctx, job, readers);
    return await pasteGuarded(ctx, { ...job, target: { ...target, panePid } }, readers);
  } catch (error) {
    // Whatever went wrong is this attempt's outcome, reported in its receipt.
    if (error instanceof TmuxError && error.gone) return failed('pane-gone', error.message);
    return failed('wake-error', clip(error instanceof Error ? error.message : String(error)));
  }
}

/** Alive while the pane is the recorded one, not dead, and its coding agent still runs. */
async function probePane(ctx: PaneContext, target: TmuxTarget, readers: Pick<ProcessReaders, 'readTree'>): Promise<Liveness> {
  try {
    const state = await readPaneState(ctx.tmux, target.pane);
    if (!state || state.paneId !== target.pane || state.dead) return 'gone';
    if (target.panePid !== undefined && state.panePid !== target.panePid) return 'gone';
    return agentCheck(await readers.readTree(state.panePid), target.agentCommand) ? 'gone' : 'alive';
  } catch (error) {
    if (error instanceof TmuxError && error.gone) return 'gone';
    // Unsure is not gone: a slow tmux must not mark a session offline.
    ctx.logger?.warn({ pane: target.pane, err: clip(String(error)) }, 'tmux probe failed');
    return 'alive';
  }
}
