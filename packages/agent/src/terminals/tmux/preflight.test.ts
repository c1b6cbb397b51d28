import { describe, expect, it } from 'vitest';
import { agentCheck, newestActivityMs, parsePaneState } from './preflight.js';
import { parsePaneView, submittedView, textAtCursor, type PaneView } from './submit.js';

describe('pane state', () => {
  it('parses the display-message line and rejects the empty answer tmux gives for a missing pane', () => {
    expect(parsePaneState('%3\t0\t1\t4242\t$1\t0\t0\n')).toEqual({
      paneId: '%3',
      dead: false,
      inMode: true,
      panePid: 4242,
      sessionId: '$1',
      inputOff: false,
      synchronized: false,
    });
    expect(parsePaneState('\t\t\t\t\t\t\n')).toBeNull();
    expect(parsePaneState('')).toBeNull();
  });
});

describe('agent check', () => {
  const tree = (...names: string[]) => names.map((name, i) => ({ pid: 100 + i, ppid: 99 + i, name }));
  it('wants the recorded agent somewhere under the pane', () => {
    expect(agentCheck(tree('bash', 'claude', 'bash'), 'claude')).toBeNull();
    expect(agentCheck(tree('bash', 'vim'), 'claude')).toMatch(/claude no longer runs/);
    expect(agentCheck(tree('bash'), 'claude')).not.toBeNull();
  });
  it('without a recorded agent, refuses only a shell with nothing under it', () => {
    expect(agentCheck(tree('zsh'), undefined)).toMatch(/only the shell zsh/);
    expect(agentCheck(tree('zsh', 'codex'), undefined)).toBeNull();
    expect(agentCheck(tree('codex'), undefined)).toBeNull();
    expect(agentCheck([], undefined)).not.toBeNull();
  });
});

describe('client activity', () => {
  it("takes the newest client of the pane's session and counts its whole second", () => {
    expect(newestActivityMs(['$1\t1700000000', '$1\t1700000005', '$2\t1700000009', ''], '$1')).toBe(1_700_000_006_000);
    expect(newestActivityMs(['$2\t1700000009'], '$1')).toBeNull();
    expect(newestActivityMs([], '$1')).toBeNull();
    expect(newestActivityMs(['$1\tabc', '$1'], '$1')).toBeNull();
  });
});

describe('submitted-line check', () => {
  const text =
    'crosstalk: your turn in api-x1 (turn 3/20). New turns: crosstalk read api-x1 --new --as codex; whole conversation: /p/api-x1.md. Answer with: crosstalk reply api-x1 --as codex --expect-turn 3';
  const view = (lines: string[], cursorY: number, cursorX = 0): PaneView => ({ lines, cursorX, cursorY });
  it('parses one capture-pane + cursor call', () => {
    expect(parsePaneView('a\nb\n\n3 1\n')).toEqual({ lines: ['a', 'b', ''], cursorX: 3, cursorY: 1 });
  });
  it('sees the line still waiting at the cursor, also wrapped inside a box', () => {
    const pasted = view(['banner', `> ${text}`, ''], 1, 40);
    expect(textAtCursor(pasted, text)).toBe(true);
    const boxed = view([`│ > ${text.slice(0, 60)}   │`, `│ ${text.slice(60)}    │`], 1, 30);
    expect(textAtCursor(boxed, text)).toBe(true);
    // An Enter the application ignored changes nothing.
    expect(submittedView(pasted, view(['banner', `> ${text}`, ''], 1, 40), text)).toBe(false);
    // A spinner redraws the screen, but the text still sits at the cursor.
    expect(submittedView(boxed, view(['● Working…', ...boxed.lines], 2, 30), text)).toBe(false);
  });
  it('sees it taken once the prompt moved on, was cleared, or was echoed back', () => {
    const before = view([`> ${text}`, ''], 0, 50);
    expect(submittedView(before, view([`> ${text}`, '> '], 1, 2), text)).toBe(true);
    expect(submittedView(before, view(['> ', ''], 0, 2), text)).toBe(true);
    // `cat` and shells echo the submitted line and move the cursor to a fresh line.
    expect(submittedView(before, view([`> ${text}`, text, ''], 2, 0), text)).toBe(true);
    expect(submittedView(before, view([`│ > ${text.slice(-30)}`, '╰──────╯', '│ >   │'], 2, 4), text)).toBe(true);
  });
});
