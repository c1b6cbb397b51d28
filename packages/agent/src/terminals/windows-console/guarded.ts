// Typing into a console whose coding agent crosstalk knows: the screen must show an empty prompt
// before the line is typed, and before every Enter the input must hold exactly the line; the
// Enter is repeated (at most twice) while the line stays in the input. The line may take a while
// to show (the program reads the console's input when it gets to it), so the input is judged
// once it ends with the line or after a few seconds. The same rule and the same screen readers
// as for a tmux pane (docs/WAKE.md); here the screen is the console's buffer.
import type { ScreenReader } from '../screens/types.js';
import { verdictOutcome } from '../screens/index.js';
import { submittedView, type PaneView } from '../tmux/submit.js';
import { clip, delivered, failed, type WakeOutcome } from '../types.js';
import { readConsoleView } from './console-view.js';
import { backspaceRecords, decodeKeyRecords } from './records.js';
import { writeAll, type ConsoleTyping, type Kernel32Like } from './sequence.js';

const ENTER_PRESSES = 3;
const POLL_MS = 50;
/** How long the typed line may take to show in the input before the input is judged. */
const SHOW_MS = 3_000;

interface Guarded extends ConsoleTyping {
  reader: ScreenReader;
  input: number;
  output: number;
}

/** The text the records type: the characters of their key-downs. */
export function typedText(records: Buffer): string {
  return String.fromCharCode(...decodeKeyRecords(records).flatMap((k) => (k.down ? [k.char] : [])));
}

function view(k32: Kernel32Like, job: Guarded): PaneView {
  const seen = readConsoleView(k32, job.output);
  if (!seen) throw new Error(`the console's screen could not be read (error ${k32.GetLastError()})`);
  return seen;
}

export async function typeGuarded(k32: Kernel32Like, job: Guarded): Promise<WakeOutcome> {
  const text = typedText(job.text);
  const refused = verdictOutcome(job.reader.before(view(k32, job)));
  if (refused) return refused;
  const textError = writeAll(k32, job.input, job.text);
  if (textError) return failed('wake-error', textError);
  await job.sleep(job.settleMs);
  for (let press = 1; press <= ENTER_PRESSES; press++) {
    const before = press === 1 ? await lineShown(k32, job, text) : view(k32, job);
    const check = job.reader.input(before, text);
    if (check.holds === 'ours-after-other') {
      const error = writeAll(k32, job.input, backspaceRecords([...text].length));
      return failed('not-submitted', error ?? 'other text appeared in the input beside the line, so Enter was not pressed; the line was taken back');
    }
    if (check.holds === 'other') return failed('not-submitted', clip(`Enter was not pressed: ${check.what}; the line may still be in the input`));
    const enterError = writeAll(k32, job.input, job.enter);
    if (enterError) return failed('wake-error', enterError);
    if (await submitted(k32, job, before, text)) return delivered();
  }
  return failed('not-submitted', `the line was still in the input after ${ENTER_PRESSES} Enter presses`);
}

/**
 * The screen once the input shows exactly the line, or as it is when the time is up. Key records
 * wait in the console's input buffer until the program reads them, and a busy coding agent (or a
 * loaded machine) reads and redraws them later than the settle time: what shows meanwhile is
 * part of the line, which is not yet a reason to give up.
 */
async function lineShown(k32: Kernel32Like, job: Guarded, text: string): Promise<PaneView> {
  const polls = Math.ceil((job.showMs ?? SHOW_MS) / POLL_MS);
  for (let poll = 0; ; poll++) {
    const seen = view(k32, job);
    if (poll >= polls || job.reader.input(seen, text).holds !== 'other') return seen;
    await job.sleep(POLL_MS);
  }
}

/** Polls the screen until it shows the Enter was taken, or the time is up. */
async function submitted(k32: Kernel32Like, job: Guarded, before: PaneView, text: string): Promise<boolean> {
  const deadline = Date.now() + (job.submitMs ?? 1_500);
  for (;;) {
    if (submittedView(before, view(k32, job), text)) return true;
    if (Date.now() >= deadline) return false;
    await job.sleep(POLL_MS);
  }
}
