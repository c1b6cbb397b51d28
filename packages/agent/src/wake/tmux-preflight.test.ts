import { describe, expect, it } from 'vitest';
import { agentCheck, newestActivityMs, parsePaneState } from './tmux-preflight.js';
import { lineStillPending } from './tmux-submit.js';

describe('pane state', () => {
  it('parses the display-message line and rejects the empty answer tmux gives for a missing pane', () => {
    expect(parsePaneState('%3\t0\t1\t4242\t$1\t0\t0\n')).toEqual({ paneId: '%3', dead: false, inMode: true, panePid: 4242, sessionId: '$1', inputOff: false, synchronized: false });
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
  it('takes the newest client of the pane\'s session and counts its whole second', () => {
    expect(newestActivityMs(['$1\t1700000000', '$1\t1700000005', '$2\t1700000009', ''], '$1')).toBe(1_700_000_006_000);
    expect(newestActivityMs(['$2\t1700000009'], '$1')).toBeNull();
    expect(newestActivityMs([], '$1')).toBeNull();
    expect(newestActivityMs(['$1\tabc', '$1'], '$1')).toBeNull();
  });
});

describe('submitted-line check', () => {
  const text = 'crosstalk: your turn in api-x1 (turn 3/20). Read /p/api-x1.md, then answer with: crosstalk reply api-x1 --as codex';
  it('sees the line still on the last non-empty line, also when tmux wrapped it', () => {
    expect(lineStillPending(`banner\n> ${text}\n\n\n`, text)).toBe(true);
    expect(lineStillPending(`│ > ${text.slice(0, 60)}   │\n│ ${text.slice(60)}    │\n`, text)).toBe(true);
  });
  it('sees it gone once the prompt moved on or was cleared', () => {
    expect(lineStillPending(`> ${text}\n> \n`, text)).toBe(false);
    expect(lineStillPending('', text)).toBe(false);
    expect(lineStillPending(`> ${text}\n● Working… (esc to interrupt)\n`, text)).toBe(false);
  });
});
