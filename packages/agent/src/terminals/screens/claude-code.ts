// Claude Code's screens (2.1), as captured from the real TUI (__fixtures__/claude-code). The
// input is a box: a full-width rule, a `❯ ` row (wrapped rows indented by two), another rule,
// and one footer row that starts with the permission mode ("⏸ manual mode on", "⏵⏵ auto mode
// on"). Empty and idle, the box holds just `❯ ` with the cursor after it. While Claude works a
// spinner row sits above the box and the footer says "esc to interrupt". A dialog (permission,
// question, plan approval) replaces the box; `! ` is shell mode, where Enter runs a shell command;
// menus and views the person opened (agents, shortcuts, history) change the footer.
import type { PaneView } from '../tmux/submit.js';
import { blockText, findDialog, isDimmed, lastIndex, sameText, squash, type DialogSign } from './screen-text.js';
import type { InputCheck, ScreenReader, ScreenVerdict } from './types.js';

const DIALOGS: DialogSign[] = [
  { sign: /Do you want to proceed\?/, what: 'a permission prompt' },
  { sign: /Do you want to (?:create|make this edit|make these edits|allow)/, what: 'a permission prompt' },
  { sign: /Enter to stay in auto mode/, what: 'an auto-mode prompt' },
  { sign: /Would you like to proceed\?/, what: 'a plan approval' },
  { sign: /Exit plan mode\?/, what: 'a plan-mode prompt' },
  { sign: /Enter to select · /, what: 'a question' },
  { sign: /ctrl\+s to change scope|Filter history/, what: 'a history search' },
  { sign: /Showing detailed transcript/, what: 'the transcript view' },
  { sign: /^\s*Rewind$/, what: 'the rewind menu' },
  { sign: /Esc to cancel/, what: 'a dialog' },
];

const RULE = /^─{20,}$/;
/** A top rule may say how many rows of a long input are scrolled out of view. */
const TOP_RULE = /^─+(?: ↑ \d+ more ─*)?$/;
const SCROLLED = /↑ \d+ more/;
/** The footer of an ordinary prompt: the permission mode, or the shortcuts hint alone. */
const MODE_FOOTER = /^\s*(?:(?:⏸|⏵⏵|⏵) [^·]*\bon\b|\? for shortcuts)/;
const NOT_IDLE_FOOTER = /esc to interrupt|again to exit|again to clear/;
/** A running spinner: a symbol, a verb, an ellipsis ("✻ Topsy-turvying… (17s)"); a finished one says "for 3s". */
const SPINNER = /^[·✢✳✶✻✽*] \S[^…]*…/;

interface Box {
  /** The top rule's row; the input starts on the next. */
  top: number;
  /** The bottom rule's row. */
  bottom: number;
  /** The rows under the box that are not blank. */
  footer: string[];
  scrolled: boolean;
}

function inputBox(lines: readonly string[]): Box | null {
  const bottom = lastIndex(lines, (l) => RULE.test(l));
  if (bottom < 2) return null;
  let top = bottom - 1;
  while (top >= 0 && !TOP_RULE.test(lines[top] ?? '')) top--;
  if (top < 0 || top === bottom - 1) return null;
  const scrolled = SCROLLED.test(lines[top] ?? '');
  const first = lines[top + 1] ?? '';
  // The input's first row carries the prompt (`❯` or `!`); a dialog's rows never start with it at column 0.
  if (!scrolled && !/^[❯!](?:[ \u00a0]|$)/.test(first)) return null;
  if (/^❯[ \u00a0]\d+\. /.test(first)) return null;
  return { top, bottom, footer: lines.slice(bottom + 1).filter((l) => l.trim() !== ''), scrolled };
}

/** A running spinner within the few rows above the box (a tip or a hint may sit between). */
const spinning = (lines: readonly string[], box: Box): boolean => lines.slice(Math.max(0, box.top - 4), box.top).some((l) => SPINNER.test(l.trim()));

const cursorInBox = (view: PaneView, box: Box): boolean => view.cursorY > box.top && view.cursorY < box.bottom;

function before(view: PaneView): ScreenVerdict {
  const box = inputBox(view.lines);
  if (!box || !cursorInBox(view, box)) {
    const dialog = findDialog(view.lines, DIALOGS);
    if (dialog) return { state: 'waiting-input', what: dialog };
    return { state: 'unknown', what: box ? 'the cursor is not in the Claude Code input' : 'no Claude Code input on screen' };
  }
  const footer = box.footer[0] ?? '';
  if (/esc to interrupt/.test(footer)) return { state: 'busy', what: 'Claude Code is working on a task' };
  if (spinning(view.lines, box)) return { state: 'busy', what: 'Claude Code is working on a task' };
  const first = view.lines[box.top + 1] ?? '';
  if (first.startsWith('!')) return { state: 'draft' };
  const empty = !box.scrolled && box.bottom === box.top + 2 && view.cursorY === box.top + 1 && view.cursorX === 2 && isDimmed(view, box.top + 1, 2);
  if (!empty) return { state: 'draft' };
  if (box.footer.length !== 1 || !MODE_FOOTER.test(footer) || NOT_IDLE_FOOTER.test(footer)) {
    return { state: 'unknown', what: `not the ordinary prompt (footer: ${footer.trim().slice(0, 60)})` };
  }
  return { state: 'ready' };
}

function input(view: PaneView, text: string): InputCheck {
  const box = inputBox(view.lines);
  if (!box || !cursorInBox(view, box)) {
    const dialog = findDialog(view.lines, DIALOGS);
    return { holds: 'other', what: dialog ? `${dialog} opened` : 'the Claude Code input is not on screen' };
  }
  const footer = box.footer[0] ?? '';
  if (box.footer.length !== 1 || !MODE_FOOTER.test(footer) || /esc to interrupt|again to exit/.test(footer))
    return { holds: 'other', what: 'Claude Code is not at its ordinary prompt' };
  if (spinning(view.lines, box)) return { holds: 'other', what: 'Claude Code started working (Enter would queue the line)' };
  const rows = view.lines.slice(box.top + 1, box.bottom);
  if (!box.scrolled && !(rows[0] ?? '').startsWith('❯')) return { holds: 'other', what: 'the input is in shell mode' };
  const cursorAtEnd = view.cursorY === box.bottom - 1;
  // A scrolled box hides the input's first rows: what shows must be the end of the line, and
  // the box was empty when the line was pasted.
  if (box.scrolled) {
    const shown = squash(blockText(rows, 0));
    return cursorAtEnd && shown !== '' && squash(text).endsWith(shown)
      ? { holds: 'only-ours' }
      : { holds: 'other', what: 'the input is scrolled and does not end with the line' };
  }
  return sameText(blockText(rows, 2), text, cursorAtEnd);
}

export const claudeCodeScreen: ScreenReader = { agent: 'Claude Code', before, input };
