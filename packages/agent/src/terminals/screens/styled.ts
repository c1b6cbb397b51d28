// A pane's screen with its text styles, from `capture-pane -e`: agents draw the placeholder of an
// empty input ("Ask Codex to do anything") dimmed, and only the style tells it from a draft.
// Only what the readers need is kept: dim and the foreground colour, per character.

export interface Cell {
  ch: string;
  dim: boolean;
  /** The SGR foreground as tmux wrote it (`31`, `38;5;8`, `38;2;r;g;b`), '' for the default. */
  fg: string;
}

export type StyledLine = Cell[];

// CSI … m; other escape sequences tmux may emit in -e output (other CSI, charset designations
// such as ESC ( B, two-character escapes) are skipped whole.
const ESCAPE = /\x1b\[([0-9;:?]*)([A-Za-z])|\x1b[()*+][0-9A-Za-z]|\x1b[^[]/y;

/** Parses `capture-pane -e -p` output into lines of cells (one per code point). */
export function parseStyled(out: string): StyledLine[] {
  const lines: StyledLine[] = [];
  let dim = false;
  let fg = '';
  for (const raw of out.replace(/\n$/, '').split('\n')) {
    const line: StyledLine = [];
    let i = 0;
    while (i < raw.length) {
      if (raw[i] === '\x1b') {
        ESCAPE.lastIndex = i;
        const m = ESCAPE.exec(raw);
        if (!m) {
          i++;
          continue;
        }
        i = ESCAPE.lastIndex;
        if (m[2] === 'm') ({ dim, fg } = applySgr(m[1] ?? '', dim, fg));
        continue;
      }
      const ch = String.fromCodePoint(raw.codePointAt(i) as number);
      line.push({ ch, dim, fg });
      i += ch.length;
    }
    lines.push(line);
  }
  return lines;
}

function applySgr(params: string, dim: boolean, fg: string): { dim: boolean; fg: string } {
  const codes = params === '' ? ['0'] : params.split(';');
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k] as string;
    if (code === '0') {
      dim = false;
      fg = '';
    } else if (code === '2') dim = true;
    else if (code === '22') dim = false;
    else if (code === '39') fg = '';
    else if (/^(3[0-7]|9[0-7])$/.test(code)) fg = code;
    else if (code === '38') {
      // 38;5;n or 38;2;r;g;b: the colour's parameters are part of it.
      const take = codes[k + 1] === '5' ? 2 : codes[k + 1] === '2' ? 4 : 0;
      fg = codes.slice(k, k + 1 + take).join(';');
      k += take;
    } else if (code === '48') k += codes[k + 1] === '5' ? 2 : codes[k + 1] === '2' ? 4 : 0;
  }
  return { dim, fg };
}

/** The text of a styled line. */
export const textOf = (line: StyledLine | undefined): string => (line ?? []).map((c) => c.ch).join('');
