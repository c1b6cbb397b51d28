// Putting the wake-up line into the pane, by one of two routes. A target recorded with the pane's
// first process gets the guarded route: the coding agent is looked for under that process without
// tmux, then one tmux call checks the pane and pastes only if it is still as seen (guard.ts).
// An older target gets a preflight call (preflight.ts), then the paste. Either way, Enter follows
// (enter.ts), and nothing is typed before the attempt is on record (`beforeTyping`).
import type { ProcessEntry } from '../processes/names.js';
import { verdictOutcome, type ScreenReader } from '../screens/index.js';
import { clip, deferred, failed, type WakeOutcome } from '../types.js';
import { pressEnter } from './enter.js';
import { guardedPasteArgs, parseGuardAnswer, parseGuardState, quietBefore, refusal, STATE_FORMAT, type GuardTarget, type SeenCursor } from './guard.js';
import { bufferName, dropBuffer, viewPane, type PaneContext } from './pane.js';
import { agentCheck, preflight, type TmuxTarget } from './preflight.js';
import type { PaneView } from './submit.js';

export interface PasteJob {
  target: TmuxTarget;
  /** The sanitised wake-up line. */
  text: string;
  /** Settles once the attempt is on record; typing waits for it. */
  beforeTyping: Promise<unknown> | undefined;
  /** The coding agent's screen reader, when its kind is known. */
  reader: ScreenReader | undefined;
  /** Hands the line over without typing, once the checks passed (WakeOptions.handOver). */
  handOver?: (() => boolean) | undefined;
}

const handedOver: WakeOutcome = { status: 'delivered', via: 'hook' };

export interface ProcessReaders {
  readTable: () => Promise<ProcessEntry[]>;
  /** A process and every process below it, the root first; empty when it does not exist. */
  readTree: (rootPid: number) => Promise<ProcessEntry[]>;
}

/** Reads the screen of a known coding agent: what it shows when that is an empty prompt, else the outcome to report. */
async function screenRefusal(ctx: PaneContext, reader: ScreenReader): Promise<{ outcome: WakeOutcome } | { seen: PaneView }> {
  const seen = await viewPane(ctx, true);
  const verdict = reader.before(seen);
  const outcome = verdictOutcome(verdict);
  if (outcome) {
    ctx.logger?.debug({ pane: ctx.pane, verdict }, 'screen not ready for a wake-up');
    return { outcome };
  }
  return { seen };
}

/** Targets recorded without the pane's first process: a preflight call, then the paste. */
export async function pasteChecked(ctx: PaneContext, job: PasteJob, readers: ProcessReaders): Promise<WakeOutcome> {
  const checked = await preflight(job.target, { tmux: ctx.tmux, readTable: readers.readTable, userIdleMs: ctx.timeouts.userIdleMs, now: Date.now });
  if ('outcome' in checked) return checked.outcome;
  if (job.reader) {
    const screen = await screenRefusal(ctx, job.reader);
    if ('outcome' in screen) return screen.outcome;
  }
  await job.beforeTyping;
  if (job.handOver?.()) return handedOver;
  const buffer = bufferName();
  try {
    // One tmux call loads the text from stdin and pastes it. -p: bracketed paste only if the
    // application asked for it; -d: delete the buffer after.
    await ctx.tmux(['load-buffer', '-b', buffer, '-', ';', 'paste-buffer', '-p', '-d', '-b', buffer, '-t', ctx.pane], job.text);
  } catch (error) {
    await dropBuffer(ctx, buffer);
    throw error;
  }
  return pressEnter(ctx, job.text, job.reader);
}

/** Targets with the pane's first process: the process walk, the screen, then one guarded tmux call. */
export async function pasteGuarded(ctx: PaneContext, job: PasteJob & { target: GuardTarget }, readers: ProcessReaders): Promise<WakeOutcome> {
  const { target } = job;
  // The walk runs while the agent records the attempt (beforeTyping); typing waits for both.
  const tree = await readers.readTree(target.panePid);
  if (tree.length === 0) return paneWithoutProcess(ctx, target);
  const problem = agentCheck(tree, target.agentCommand);
  if (problem) return failed('bare-shell', clip(problem));
  // A known agent's screen is read first; the paste then also requires the cursor not to have
  // moved since (a dialog or a keystroke would move it).
  let cursor: SeenCursor | undefined;
  if (job.reader) {
    const screen = await screenRefusal(ctx, job.reader);
    if ('outcome' in screen) return screen.outcome;
    cursor = { x: screen.seen.cursorX, y: screen.seen.cursorY };
  }
  await job.beforeTyping;
  if (job.handOver?.()) return handedOver;
  return guardedPaste(ctx, job, cursor);
}

/** The one tmux call that pastes only into the pane as seen, and what its answer means. */
async function guardedPaste(ctx: PaneContext, job: PasteJob & { target: GuardTarget }, cursor: SeenCursor | undefined): Promise<WakeOutcome> {
  const buffer = bufferName();
  const quiet = quietBefore(Date.now(), ctx.timeouts.userIdleMs);
  let out: string;
  try {
    out = await ctx.tmux(guardedPasteArgs(job.target, buffer, job.text, quiet, cursor));
  } catch (error) {
    // Only a failed call can leave the buffer behind (both branches delete it).
    await dropBuffer(ctx, buffer);
    throw error;
  }
  const answer = parseGuardAnswer(out);
  if ('pasted' in answer) return pressEnter(ctx, job.text, job.reader);
  if ('unexpected' in answer) {
    await dropBuffer(ctx, buffer);
    return failed('wake-error', clip(`unexpected answer from tmux: ${answer.unexpected}`));
  }
  // Nothing wrong in the state, yet no paste: a tmux that does not know the condition's syntax.
  return (
    refusal(answer.state, job.target, quiet, cursor) ??
    deferred('busy', 'tmux did not paste, though the pane looked ready (a tmux that does not know the condition format?)')
  );
}

/** The recorded first process is gone: tmux tells whether the pane went too; nothing is typed. */
async function paneWithoutProcess(ctx: PaneContext, target: TmuxTarget & GuardTarget): Promise<WakeOutcome> {
  const state = parseGuardState(await ctx.tmux(['display-message', '-p', '-t', ctx.pane, STATE_FORMAT]));
  if (!state) return failed('pane-gone', `no pane ${ctx.pane} on ${target.socket}`);
  return refusal(state, target, quietBefore(Date.now(), ctx.timeouts.userIdleMs)) ?? failed('bare-shell', 'the pane has no process');
}
