// Whether an Enter was taken, judged from what the pane shows. Two signs together: the screen or
// the cursor changed after the Enter (an application that ignores Enter changes nothing), and the
// line no longer sits where the cursor is (an input box that redraws for other reasons, a
// spinner, still holds the text at the cursor). Programs that echo a submitted line back (`cat`,
// shells, transcripts) leave it on screen, so the text being visible is no sign by itself.

import { parseStyled, textOf, type StyledLine } from '../screens/styled.js';

/** What a pane shows: its visible lines and where the cursor is. */
export interface PaneView {
  lines: string[];
  cursorX: number;
  cursorY: number;
  /** The lines with their styles, when captured with them (`capture-pane -e`). */
  styled?: StyledLine[] | undefined;
}

/**
 * The tmux arguments that print a PaneView in one call, parsed by parsePaneView; with `styles`,
 * the screen comes with its escape sequences (what screen readers need to tell a dimmed
 * placeholder from text).
 */
export function paneViewArgs(pane: string, styles = false): string[] {
  return ['capture-pane', '-p', ...(styles ? ['-e'] : []), '-t', pane, ';', 'display-message', '-p', '-t', pane, '#{cursor_x} #{cursor_y}'];
}

export function parsePaneView(out: string, styles = false): PaneView {
  const raw = out.replace(/\n$/, '').split('\n');
  const cursor = /^(\d+) (\d+)$/.exec(raw.pop() ?? '');
  const position = { cursorX: Number(cursor?.[1] ?? 0), cursorY: Number(cursor?.[2] ?? 0) };
  if (!styles) return { lines: raw, ...position };
  const styled = parseStyled(raw.join('\n'));
  return { lines: styled.map(textOf), styled, ...position };
}

// Trailing blanks are not compared: a capture with styles may keep blanks a plain one drops.
const screenText = (v: PaneView): string => v.lines.map((l) => l.trimEnd()).join('\n');

function sameView(a: PaneView, b: PaneView): boolean {
  return a.cursorX === b.cursorX && a.cursorY === b.cursorY && screenText(a) === screenText(b);
}

// Box-drawing characters and whitespace are the frames TUIs draw around their input.
const clean = (s: string): string =>
  s
    .replace(/[\u2500-\u257f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const TAIL_CHARS = 24;

/**
 * True when the line at the cursor ends with a piece of the text's end: the text still waits in
 * the input. Long input wraps inside an application's box, so only the last segment is sure to
 * share the cursor's line.
 */
export function textAtCursor(view: PaneView, text: string): boolean {
  const line = clean(view.lines[view.cursorY] ?? '');
  if (line.length < 3) return false;
  const wanted = clean(text);
  const tail = line.slice(-Math.min(line.length, TAIL_CHARS));
  return wanted.endsWith(tail) || line.endsWith(wanted.slice(-TAIL_CHARS));
}

/** The Enter was taken: something changed, and the text left the cursor's line. */
export function submittedView(before: PaneView, after: PaneView, text: string): boolean {
  return !sameView(before, after) && !textAtCursor(after, text);
}
