// What a console shows, read from its screen buffer: the rows of its window and the cursor, as
// the screen readers take a tmux pane's capture. The readers are the same for both.
import type { PaneView } from '../tmux/submit.js';
import type { Kernel32Like } from './sequence.js';

/** A console taller than this is not a coding agent's window; reading stops there. */
const MAX_ROWS = 500;
const MAX_COLUMNS = 1000;

/** The window's rows (trailing blanks dropped) and the cursor relative to it; null when the buffer cannot be read. */
export function readConsoleView(k32: Kernel32Like, output: number): PaneView | null {
  const info = k32.GetConsoleScreenBufferInfo(output);
  if (!info) return null;
  const width = Math.min(info.right - info.left + 1, MAX_COLUMNS);
  const bottom = Math.min(info.bottom, info.top + MAX_ROWS - 1);
  if (width <= 0 || bottom < info.top) return null;
  const lines: string[] = [];
  for (let y = info.top; y <= bottom; y++) {
    const row = k32.ReadConsoleOutputCharacterW(output, width, info.left, y);
    if (row === null) return null;
    lines.push(row.trimEnd());
  }
  return { lines, cursorX: info.cursorX - info.left, cursorY: info.cursorY - info.top };
}
