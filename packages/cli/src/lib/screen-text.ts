// What `crosstalk peek` shows of a terminal: its last lines as plain text. The screen is whatever
// the coding agent drew; every control, bidi and invisible character is removed (not replaced),
// trailing blanks are trimmed, and only the last `lines` non-trailing lines are kept.
const CONTROLS =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[\]P^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b.|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

export function screenText(raw: string, lines: number): string[] {
  const all = raw
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  while (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all.slice(-lines);
}
