// After the paste: Enter, until the line leaves the prompt. With a screen reader for the coding
// agent, every Enter is pressed only while the input holds exactly the typed line, so a wake-up
// never submits text it did not type.
import type { ScreenReader } from '../screens/index.js';
import { clip, delivered, failed, sleep, type WakeOutcome } from '../types.js';
import { viewPane, type PaneContext } from './pane.js';
import { submittedView, type PaneView } from './submit.js';

/** Enter presses in all: the first and at most two more when the line was not taken. */
const ENTER_PRESSES = 3;
const POLL_MS = 50;
/** How long the input may take to show the pasted line before the attempt gives up. */
const SHOW_MS = 3_000;
const SHOW_POLL_MS = 20;

/** The pause, then Enter until the line is taken, the input holds something else, or the presses run out. */
export async function pressEnter(ctx: PaneContext, text: string, reader: ScreenReader | undefined): Promise<WakeOutcome> {
  await sleep(ctx.timeouts.settleMs);
  for (let press = 1; press <= ENTER_PRESSES; press++) {
    const before = press === 1 && reader ? await lineShown(ctx, text, reader) : await viewPane(ctx, reader !== undefined);
    if (reader) {
      const refused = await inputRefusal(ctx, before, text, reader);
      if (refused) return refused;
    }
    await ctx.tmux(['send-keys', '-t', ctx.pane, 'Enter']);
    if (await submitted(ctx, before, text)) return delivered();
    ctx.logger?.debug({ pane: ctx.pane, press }, 'wake line still on the prompt after Enter');
  }
  return failed('not-submitted', `the line was still on the prompt after ${ENTER_PRESSES} Enter presses`);
}

/**
 * The pane once the input shows exactly the line (or the line after other text), or as it is
 * when the time is up. A coding agent reads and redraws a paste in its own time, later on a
 * loaded machine: what shows meanwhile is part of the line, not yet a reason to give up.
 */
async function lineShown(ctx: PaneContext, text: string, reader: ScreenReader): Promise<PaneView> {
  const deadline = Date.now() + SHOW_MS;
  for (;;) {
    const seen = await viewPane(ctx, true);
    if (reader.input(seen, text).holds !== 'other' || Date.now() >= deadline) return seen;
    await sleep(SHOW_POLL_MS);
  }
}

/** Polls the pane until it shows the Enter was taken, or the time is up. */
async function submitted(ctx: PaneContext, before: PaneView, text: string): Promise<boolean> {
  const deadline = Date.now() + ctx.timeouts.submitMs;
  for (;;) {
    if (submittedView(before, await viewPane(ctx), text)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * Null when the input holds exactly the typed line. Otherwise Enter is not pressed: when the
 * line sits after other text with the cursor at its end, it is taken back with as many
 * backspaces as it has characters (the other text stays as it was); anything else is left
 * alone, and the attempt fails.
 */
async function inputRefusal(ctx: PaneContext, seen: PaneView, text: string, reader: ScreenReader): Promise<WakeOutcome | null> {
  const check = reader.input(seen, text);
  if (check.holds === 'only-ours') return null;
  if (check.holds === 'ours-after-other') {
    await ctx.tmux(['send-keys', '-t', ctx.pane, '-N', String([...text].length), 'BSpace']);
    ctx.logger?.warn({ pane: ctx.pane }, 'text appeared beside the wake-up line before Enter: the line was taken back');
    return failed('not-submitted', 'other text appeared in the input beside the line, so Enter was not pressed; the line was taken back');
  }
  ctx.logger?.warn({ pane: ctx.pane, what: check.what }, 'the input did not hold just the wake-up line: Enter not pressed');
  return failed('not-submitted', clip(`Enter was not pressed: ${check.what}; the line may still be in the input`));
}
