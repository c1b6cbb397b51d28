// Wakes a session in a tmux pane: check the pane, paste the line, press Enter, check it was taken.
import { randomBytes } from 'node:crypto';
import { sanitizeWakeText } from '@crosstalk/core';
import type { ProcessEntry } from '../processes/names.js';
import { KeyedSerializer } from '../serial.js';
import { createTmuxRunner, TmuxError, type TmuxRunner } from './command.js';
import { guardedPasteArgs, parseGuardAnswer, parseGuardState, quietBefore, refusal, STATE_FORMAT, type GuardTarget, type SeenCursor } from './guard.js';
import { agentCheck, preflight, readPaneState, type TmuxTarget } from './preflight.js';
import { paneViewArgs, parsePaneView, submittedView, type PaneView } from './submit.js';
import { screenReaderFor, verdictOutcome, type ScreenReader } from '../screens/index.js';
import { clip, deferred, delivered, failed, sleep, type Liveness, type WakeLogger, type WakeOptions, type WakeOutcome, type WakeTimeouts } from '../types.js';

export interface TmuxAdapterOptions {
  /** The tmux binary. */
  tmux: string;
  timeouts: WakeTimeouts;
  readTable: () => Promise<ProcessEntry[]>;
  /** A process and every process below it, the root first; empty when it does not exist. */
  readTree: (rootPid: number) => Promise<ProcessEntry[]>;
  logger?: WakeLogger | undefined;
}

/** Targets reach the adapter validated by createWaker (core's WakeTargetSchema). */
export interface TmuxAdapter {
  wake(target: TmuxTarget, line: string, options?: WakeOptions): Promise<WakeOutcome>;
  probe(target: TmuxTarget): Promise<Liveness>;
}

/** Enter presses in all: the first and at most two more when the line was not taken. */
const ENTER_PRESSES = 3;
const POLL_MS = 50;

export function createTmuxAdapter(options: TmuxAdapterOptions): TmuxAdapter {
  const { timeouts, logger } = options;
  const serial = new KeyedSerializer();
  let counter = 0;

  const runner = (target: TmuxTarget): TmuxRunner =>
    createTmuxRunner({ tmux: options.tmux, socket: target.socket, timeoutMs: timeouts.commandMs });

  const view = async (tmux: TmuxRunner, pane: string, styles = false): Promise<PaneView> => parsePaneView(await tmux(paneViewArgs(pane, styles)), styles);

  /** Polls the pane until it shows the Enter was taken, or the time is up. */
  async function submitted(tmux: TmuxRunner, pane: string, before: PaneView, text: string): Promise<boolean> {
    const deadline = Date.now() + timeouts.submitMs;
    for (;;) {
      if (submittedView(before, await view(tmux, pane), text)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(POLL_MS);
    }
  }

  const bufferName = (): string => `crosstalk-wake-${process.pid}-${++counter}-${randomBytes(4).toString('hex')}`;

  /**
   * After the text shows: the pause, then Enter until the line leaves the prompt. With a screen
   * reader, every Enter is pressed only while the input holds exactly the typed line.
   */
  async function submit(tmux: TmuxRunner, pane: string, text: string, reader: ScreenReader | undefined): Promise<WakeOutcome> {
    await sleep(timeouts.settleMs);
    for (let press = 1; press <= ENTER_PRESSES; press++) {
      const before = await view(tmux, pane, reader !== undefined);
      if (reader) {
        const refused = await inputRefusal(tmux, pane, before, text, reader);
        if (refused) return refused;
      }
      await tmux(['send-keys', '-t', pane, 'Enter']);
      if (await submitted(tmux, pane, before, text)) return delivered();
      logger?.debug({ pane, press }, 'wake line still on the prompt after Enter');
    }
    return failed('not-submitted', `the line was still on the prompt after ${ENTER_PRESSES} Enter presses`);
  }

  /**
   * Null when the input holds exactly the typed line. Otherwise Enter is not pressed: when the
   * line sits after other text with the cursor at its end, it is taken back with as many
   * backspaces as it has characters (the other text stays as it was); anything else is left
   * alone, and the attempt fails.
   */
  async function inputRefusal(tmux: TmuxRunner, pane: string, seen: PaneView, text: string, reader: ScreenReader): Promise<WakeOutcome | null> {
    const check = reader.input(seen, text);
    if (check.holds === 'only-ours') return null;
    if (check.holds === 'ours-after-other') {
      await tmux(['send-keys', '-t', pane, '-N', String([...text].length), 'BSpace']);
      logger?.warn({ pane }, 'text appeared beside the wake-up line before Enter: the line was taken back');
      return failed('not-submitted', 'other text appeared in the input beside the line, so Enter was not pressed; the line was taken back');
    }
    logger?.warn({ pane, what: check.what }, 'the input did not hold just the wake-up line: Enter not pressed');
    return failed('not-submitted', clip(`Enter was not pressed: ${check.what}; the line may still be in the input`));
  }

  /** Reads the screen of a known coding agent: null when it shows an empty prompt. */
  async function screenRefusal(tmux: TmuxRunner, pane: string, reader: ScreenReader): Promise<{ outcome: WakeOutcome } | { seen: PaneView }> {
    const seen = await view(tmux, pane, true);
    const verdict = reader.before(seen);
    const outcome = verdictOutcome(verdict);
    if (outcome) {
      logger?.debug({ pane, verdict }, 'screen not ready for a wake-up');
      return { outcome };
    }
    return { seen };
  }

  /** Targets recorded without the pane's first process: a preflight call, then the paste. */
  async function wakeChecked(tmux: TmuxRunner, target: TmuxTarget, text: string, beforeTyping: Promise<unknown> | undefined, reader: ScreenReader | undefined): Promise<WakeOutcome> {
    const checked = await preflight(target, { tmux, readTable: options.readTable, userIdleMs: timeouts.userIdleMs, now: Date.now });
    if ('outcome' in checked) return checked.outcome;
    if (reader) {
      const screen = await screenRefusal(tmux, target.pane, reader);
      if ('outcome' in screen) return screen.outcome;
    }
    await beforeTyping;
    const buffer = bufferName();
    try {
      // One tmux call loads the text from stdin and pastes it. -p: bracketed paste only if the
      // application asked for it; -d: delete the buffer after.
      await tmux(['load-buffer', '-b', buffer, '-', ';', 'paste-buffer', '-p', '-d', '-b', buffer, '-t', target.pane], text);
    } catch (error) {
      await tmux(['delete-buffer', '-b', buffer]).catch(() => undefined);
      throw error;
    }
    return submit(tmux, target.pane, text, reader);
  }

  /**
   * Targets with the pane's first process: the coding agent is looked for under that process
   * first, without tmux; then one tmux call checks the pane and pastes (tmux-guard.ts).
   */
  async function wakeGuarded(tmux: TmuxRunner, target: TmuxTarget & GuardTarget, text: string, beforeTyping: Promise<unknown> | undefined, reader: ScreenReader | undefined): Promise<WakeOutcome> {
    // The walk runs while the agent records the attempt (beforeTyping); typing waits for both.
    const tree = await options.readTree(target.panePid);
    if (tree.length === 0) return paneWithoutProcess(tmux, target);
    const problem = agentCheck(tree, target.agentCommand);
    if (problem) return failed('bare-shell', clip(problem));
    // A known agent's screen is read first; the paste then also requires the cursor not to have
    // moved since (a dialog or a keystroke would move it).
    let cursor: SeenCursor | undefined;
    if (reader) {
      const screen = await screenRefusal(tmux, target.pane, reader);
      if ('outcome' in screen) return screen.outcome;
      cursor = { x: screen.seen.cursorX, y: screen.seen.cursorY };
    }
    await beforeTyping;
    const buffer = bufferName();
    const quiet = quietBefore(Date.now(), timeouts.userIdleMs);
    let out: string;
    try {
      out = await tmux(guardedPasteArgs(target, buffer, text, quiet, cursor));
    } catch (error) {
      // Only a failed call can leave the buffer behind (both branches delete it).
      await tmux(['delete-buffer', '-b', buffer]).catch(() => undefined);
      throw error;
    }
    const answer = parseGuardAnswer(out);
    if ('pasted' in answer) return submit(tmux, target.pane, text, reader);
    if ('unexpected' in answer) {
      await tmux(['delete-buffer', '-b', buffer]).catch(() => undefined);
      return failed('wake-error', clip(`unexpected answer from tmux: ${answer.unexpected}`));
    }
    // Nothing wrong in the state, yet no paste: a tmux that does not know the condition's syntax.
    return refusal(answer.state, target, quiet, cursor) ?? deferred('busy', 'tmux did not paste, though the pane looked ready (a tmux that does not know the condition format?)');
  }

  /** The recorded first process is gone: tmux tells whether the pane went too; nothing is typed. */
  async function paneWithoutProcess(tmux: TmuxRunner, target: TmuxTarget & GuardTarget): Promise<WakeOutcome> {
    const state = parseGuardState(await tmux(['display-message', '-p', '-t', target.pane, STATE_FORMAT]));
    if (!state) return failed('pane-gone', `no pane ${target.pane} on ${target.socket}`);
    return refusal(state, target, quietBefore(Date.now(), timeouts.userIdleMs)) ?? failed('bare-shell', 'the pane has no process');
  }

  async function wakeNow(target: TmuxTarget, text: string, wakeOptions: WakeOptions): Promise<WakeOutcome> {
    const tmux = runner(target);
    const { panePid } = target;
    const reader = screenReaderFor(wakeOptions.kind);
    try {
      if (panePid === undefined) return await wakeChecked(tmux, target, text, wakeOptions.beforeTyping, reader);
      return await wakeGuarded(tmux, { ...target, panePid }, text, wakeOptions.beforeTyping, reader);
    } catch (error) {
      if (error instanceof TmuxError && error.gone) return failed('pane-gone', error.message);
      return failed('wake-error', clip(error instanceof Error ? error.message : String(error)));
    }
  }

  return {
    async wake(target, line, wakeOptions = {}) {
      const text = sanitizeWakeText(line);
      if (text === '') return failed('wake-error', 'the wake-up line is empty after sanitising');
      const outcome = await serial.run(`${target.socket}\0${target.pane}`, () => wakeNow(target, text, wakeOptions));
      logger?.debug({ pane: target.pane, socket: target.socket, outcome }, 'tmux wake-up');
      return outcome;
    },

    async probe(target) {
      const tmux = runner(target);
      try {
        const state = await readPaneState(tmux, target.pane);
        if (!state || state.paneId !== target.pane || state.dead) return 'gone';
        if (target.panePid !== undefined && state.panePid !== target.panePid) return 'gone';
        return agentCheck(await options.readTree(state.panePid), target.agentCommand) ? 'gone' : 'alive';
      } catch (error) {
        if (error instanceof TmuxError && error.gone) return 'gone';
        // Unsure is not gone: a slow tmux must not mark a session offline.
        logger?.warn({ pane: target.pane, err: clip(String(error)) }, 'tmux probe failed');
        return 'alive';
      }
    },
  };
}
