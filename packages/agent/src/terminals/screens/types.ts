// What a coding agent's screen says about typing into it. A wake-up is typed only into the
// agent's ordinary prompt with an empty input line, and Enter is pressed only while that input
// holds exactly the typed line: a wake-up never answers a dialog and never submits text it did
// not type. Readers are pure functions of a captured screen, one per kind of coding agent.
import type { PaneView } from '../tmux/submit.js';

export type ScreenVerdict =
  /** The ordinary prompt, input line empty, nothing open over it. */
  | { state: 'ready' }
  /** A permission, approval, question or selection dialog waits for the person. */
  | { state: 'waiting-input'; what: string }
  /** The input line holds text nobody submitted. */
  | { state: 'draft' }
  /** The agent is working on a task. */
  | { state: 'busy'; what: string }
  /** No prompt this reader knows: nothing is typed. */
  | { state: 'unknown'; what: string };

/** After the paste, before Enter: what the input line holds. */
export type InputCheck =
  /** Exactly the typed line, and nothing open over it: Enter may be pressed. */
  | { holds: 'only-ours' }
  /** The typed line at the end of text that was there or came meanwhile, cursor after it. */
  | { holds: 'ours-after-other'; other: string }
  /** Anything else (a dialog opened, the input is not visible, text we did not type). */
  | { holds: 'other'; what: string };

export interface ScreenReader {
  /** Which coding agent this reader knows, for messages. */
  readonly agent: string;
  /** Before typing: whether the screen shows an empty ordinary prompt, and if not, why. */
  before(view: PaneView): ScreenVerdict;
  /** After pasting `text`: whether the input holds exactly it. */
  input(view: PaneView, text: string): InputCheck;
}
