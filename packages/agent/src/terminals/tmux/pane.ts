// One wake-up's view of its pane: the tmux runner bound to the pane's server, the pane, and the
// timings and log every step shares, so the steps (paste.ts, enter.ts) take one argument.
import { randomBytes } from 'node:crypto';
import type { TmuxRunner } from './command.js';
import { paneViewArgs, parsePaneView, type PaneView } from './submit.js';
import type { WakeLogger, WakeTimeouts } from '../types.js';

export interface PaneContext {
  tmux: TmuxRunner;
  pane: string;
  timeouts: WakeTimeouts;
  logger?: WakeLogger | undefined;
}

/** What the pane shows now; with `styles`, with the escape sequences screen readers need. */
export async function viewPane(ctx: PaneContext, styles = false): Promise<PaneView> {
  return parsePaneView(await ctx.tmux(paneViewArgs(ctx.pane, styles)), styles);
}

let buffers = 0;

/** A paste buffer name no other wake-up (of this or another agent) uses. */
export function bufferName(): string {
  return `crosstalk-wake-${process.pid}-${++buffers}-${randomBytes(4).toString('hex')}`;
}

/** Deletes a paste buffer a failed call may have left behind. */
export async function dropBuffer(ctx: PaneContext, buffer: string): Promise<void> {
  await ctx.tmux(['delete-buffer', '-b', buffer]).catch((err: unknown) => {
    // Cleanup after a failure: the failure is what gets reported; a leftover buffer only takes memory.
    ctx.logger?.debug({ pane: ctx.pane, buffer, err: String(err) }, 'could not delete a paste buffer');
  });
}
