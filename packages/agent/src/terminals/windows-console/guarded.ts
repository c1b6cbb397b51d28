// Typing into a console whose coding agent crosstalk knows: the screen must show an empty prompt
// before the line is typed, and before every Enter the input must hold exactly the line; the
// Enter is repeated (at most twice) while the line stays in the input. The same rule and the
// same screen readers as for a tmux pane (docs/WAKE.md); here the screen is the console's buffer.
import type { ScreenReader } from '../screens/types.js';
import { verdictOutcome } from '../screens/index.js';
import { submittedView, type PaneView } from '../tmux/submit.js';
import { clip, delivered, failed, type WakeOutcome } from '../types.js';
import { readConsoleView } from './console-view.js';
import { backspaceRecords, decodeKeyRecords } from './records.js';
import { writeAll, type ConsoleTyping, type Kernel32Like } from './sequence.js';

const ENTER_PRESSES = 3;
const POLL_MS = 50;

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
    const before = view(k32, job);
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

/** Polls the screen until it shows the Enter was taken, or the time is up. */
async function submitted(k32: Kernel32Like, job: Guarded, before: PaneView, text: string): Promise<boolean> {
  const deadline = Date.now() + (job.submitMs ?? 1_500);
  for (;;) {
    if (submittedView(before, view(k32, job), text)) return true;
    if (Date.now() >= deadline) return false;
    await job.sleep(POLL_MS);
  }
}
