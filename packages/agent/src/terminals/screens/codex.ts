// Codex's screens (0.169), as captured from the real TUI (__fixtures__/codex). The composer is a
// `› ` line above a status line (`<model> <mode> · <cwd>`) and an optional footer. Idle and empty,
// the cursor sits just after `› ` and the rest of the line is a dimmed placeholder ("Ask Codex to
// do anything"); a draft moves the cursor to its end. Dialogs (command or edit approval, a
// question, pickers, the trust screen) park the cursor elsewhere and name themselves in their
// text; a busy Codex shows "Working (… esc to interrupt)" right above the composer.
import type { PaneView } from '../tmux/submit.js';
import { blockText, findDialog, isDimmed, lastIndex, sameText, type DialogSign } from './screen-text.js';
import type { InputCheck, ScreenReader, ScreenVerdict } from './types.js';

const PROMPT = '› ';
const DIALOGS: DialogSign[] = [
  { sign: /Would you like to run the following command\?/, what: 'an approval prompt for a command' },
  { sign: /Would you like to make the following edits\?/, what: 'an approval prompt for file edits' },
  { sign: /Press enter to confirm or esc to cancel/, what: 'an approval prompt' },
  { sign: /enter to submit answer/, what: 'a question' },
  { sign: /Trust this folder\?/, what: 'a folder trust prompt' },
  { sign: /Browsing transcript ·/, what: 'the transcript browser (Enter would rewind the conversation)' },
  { sign: /reverse-i-search:/, what: 'a history search' },
  { sign: /\? \/ esc close/, what: 'the shortcuts overlay' },
  { sign: /esc back/, what: 'a menu' },
];
/** Footers under the status line of an idle, empty composer. */
const IDLE_FOOTERS = ['', '← for agents · ? for shortcuts', '? for shortcuts'];
const BUSY = /^[•◦] Working \(/;
/** How far above the composer the "Working" line and its queued messages may reach. */
const BUSY_REACH = 12;

const working = (lines: readonly string[], top: number): boolean => lines.slice(Math.max(0, top - BUSY_REACH), top).some((l) => BUSY.test(l));

interface Composer {
  /** Index of the `› ` line. */
  top: number;
  /** Index after the input's last line (its wrapped or typed continuation lines are indented). */
  end: number;
  /** Index of the status line (one blank line under the input). */
  status: number;
}

const STATUS = /^ {2}\S.* · /;

/** The composer: the last `› ` line that is followed, through its own lines, by the status line. */
function composer(view: PaneView): Composer | null {
  const { lines } = view;
  const top = lastIndex(lines, (l) => l.startsWith(PROMPT) && !/^› \d+\. /.test(l));
  if (top < 0) return null;
  let status = top + 1;
  while (status < lines.length && !STATUS.test(lines[status] ?? '') && /^(?: {2}.*)?$/.test(lines[status] ?? '')) status++;
  if (!STATUS.test(lines[status] ?? '')) return null;
  const end = (lines[status - 1] ?? '').trim() === '' && status - 1 > top ? status - 1 : status;
  return { top, end, status };
}

/** Dialogs replace the composer at the bottom of the screen: only the last lines are searched. */
const BOTTOM = 20;

function before(view: PaneView): ScreenVerdict {
  const c = composer(view);
  if (!c || view.cursorY < c.top || view.cursorY >= c.end) {
    // Without a composer the dialog may fill the screen; with one, it sits at the bottom.
    const dialog = findDialog(c ? view.lines.slice(-BOTTOM) : view.lines, DIALOGS);
    if (dialog) return { state: 'waiting-input', what: dialog };
    return { state: 'unknown', what: c ? 'the cursor is not in the Codex composer' : 'no Codex composer on screen' };
  }
  const footer = (view.lines.slice(c.status + 1).find((l) => l.trim() !== '') ?? '').trim();
  const dialog = findDialog([footer], DIALOGS);
  if (dialog) return { state: 'waiting-input', what: dialog };
  if (working(view.lines, c.top) || footer === 'tab to queue message' || /Messages to be submitted/.test(footer))
    return { state: 'busy', what: 'Codex is working on a task' };
  // Empty: one line, the cursor right after `› `, nothing but the dimmed placeholder after it.
  const empty = c.end === c.top + 1 && view.cursorY === c.top && view.cursorX === PROMPT.length && isDimmed(view, c.top, PROMPT.length);
  if (!empty) return { state: 'draft' };
  if (!IDLE_FOOTERS.some((f) => footer === f || (f !== '' && footer.startsWith(`${f} `))))
    return { state: 'unknown', what: `an unknown footer: ${footer.slice(0, 60)}` };
  return { state: 'ready' };
}

function input(view: PaneView, text: string): InputCheck {
  const c = composer(view);
  if (!c || view.cursorY < c.top || view.cursorY >= c.end) {
    const dialog = findDialog(c ? view.lines.slice(-BOTTOM) : view.lines, DIALOGS);
    return { holds: 'other', what: dialog ? `${dialog} opened` : 'the cursor is not in the Codex composer' };
  }
  if (working(view.lines, c.top)) return { holds: 'other', what: 'Codex started working (Enter would steer its task)' };
  // Wrapped lines are indented by two spaces; Codex breaks at spaces and after hyphens.
  const typed = blockText(view.lines.slice(c.top, c.end), PROMPT.length);
  const cursorAtEnd = view.cursorY === c.end - 1;
  return sameText(typed, text, cursorAtEnd);
}

export const codexScreen: ScreenReader = { agent: 'Codex', before, input };
