import { describe, expect, it } from 'vitest';
import { parseStyled, textOf } from './styled.js';

describe('a screen with its styles (capture-pane -e)', () => {
  it('keeps the text and marks what is dimmed or grey, across resets', () => {
    const [line] = parseStyled('\x1b[1m› \x1b[0m\x1b[2mAsk Codex to do anything\x1b[0m');
    expect(textOf(line)).toBe('› Ask Codex to do anything');
    expect(line!.slice(0, 2).every((c) => !c.dim)).toBe(true);
    expect(line!.slice(2).every((c) => c.dim)).toBe(true);
  });

  it('reads 256-colour and true-colour foregrounds whole, and SGR 22 and 39 as ends', () => {
    const [line] = parseStyled('\x1b[38;5;244mab\x1b[39mc\x1b[38;2;1;2;3md\x1b[2me\x1b[22mf\x1b[48;5;1mg');
    expect(line!.map((c) => c.fg)).toEqual(['38;5;244', '38;5;244', '', '38;2;1;2;3', '38;2;1;2;3', '38;2;1;2;3', '38;2;1;2;3']);
    expect(line!.map((c) => c.dim)).toEqual([false, false, false, false, true, false, false]);
    expect(textOf(line)).toBe('abcdefg');
  });

  it('keeps styles from one line to the next, as the terminal does, and counts code points', () => {
    const lines = parseStyled('\x1b[2mone\ntwo 😀\x1b[0m\nthree');
    expect(lines.map(textOf)).toEqual(['one', 'two 😀', 'three']);
    expect(lines[1]!.every((c) => c.dim)).toBe(true);
    expect(lines[1]!).toHaveLength(5);
    expect(lines[2]!.some((c) => c.dim)).toBe(false);
  });

  it('skips other escape sequences and a lone escape without losing text', () => {
    expect(parseStyled('a\x1b(Bb\x1b[Kc\x1b').map(textOf)).toEqual(['abc']);
  });
});
