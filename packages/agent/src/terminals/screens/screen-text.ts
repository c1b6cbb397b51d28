// Small helpers the screen readers share: finding lines and dialog signs, reading the text of an
// input block that wraps, and comparing it with the line crosstalk typed.
import type { PaneView } from '../tmux/submit.js';
import type { InputCheck } from './types.js';

export interface DialogSign {
  sign: RegExp;
  /** How receipts name it: "waiting for the person to answer <what>". */
  what: string;
}

export function lastIndex(lines: readonly string[], test: (line: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i] as string)) return i;
  return -1;
}

/** The first dialog whose sign shows in these lines. */
export function findDialog(lines: readonly string[], signs: readonly DialogSign[]): string | null {
  for (const { sign, what } of signs) if (lines.some((l) => sign.test(l))) return what;
  return null;
}

/**
 * Whether everything on `row` from column `col` on is a placeholder: blank, or drawn dimmed.
 * Without styles (a plain capture) only blankness can be told, so text counts as placeholder
 * and the caller relies on the cursor.
 */
export function isDimmed(view: PaneView, row: number, col: number): boolean {
  const cells = view.styled?.[row];
  if (!cells) return true;
  return cells.slice(col).every((c) => c.ch.trim() === '' || c.dim || GREY.has(c.fg));
}
// Foregrounds agents use for placeholders besides SGR 2: bright black and the 256-colour greys.
const GREY = new Set(['90', '38;5;8', '38;5;240', '38;5;241', '38;5;242', '38;5;243', '38;5;244', '38;5;245', '38;5;246']);

/** The text of an input block: the first line after its prompt, the rest without their indent. */
export function blockText(lines: readonly string[], promptWidth: number): string {
  return lines.map((l, i) => (i === 0 ? l.slice(promptWidth) : l.replace(/^ {1,2}/, ''))).join('\n');
}

// Agents wrap long input at spaces (dropping the space) or after hyphens: whitespace is not compared.
export const squash = (s: string): string => s.replace(/\s+/g, '');

/**
 * What an input block holds compared with the typed line: exactly it; it after other text, with
 * the cursor at its end (it can be taken back with backspaces); or something else.
 */
export function sameText(typed: string, text: string, cursorAtEnd: boolean): InputCheck {
  const have = squash(typed);
  const ours = squash(text);
  if (have === ours) return { holds: 'only-ours' };
  if (ours !== '' && have.endsWith(ours) && cursorAtEnd) {
    const flat = typed.replace(/\n/g, ' ');
    const at = flat.lastIndexOf(text.slice(0, 16));
    return { holds: 'ours-after-other', other: at > 0 ? flat.slice(0, at).trim() : '' };
  }
  return {
    holds: 'other',
    what: have.includes(ours) ? 'the line is in the input together with text crosstalk did not type' : 'the input does not hold the line crosstalk typed',
  };
}
