import { describe, expect, it } from 'vitest';
import { DEFAULT_WAKE_TIMEOUTS, MEASURED_SETTLE_MS, settleFor } from './types.js';
import { createWaker } from './waker.js';

describe('the pause before Enter', () => {
  it('is the measured one for Claude Code and Codex, and settleMs for every other kind', () => {
    const timeouts = { settleMs: 450, settleMsByKind: { 'claude-code': 40, codex: 70 } };
    expect(settleFor(timeouts, 'claude-code')).toBe(40);
    expect(settleFor(timeouts, 'codex')).toBe(70);
    expect(settleFor(timeouts, 'other')).toBe(450);
    expect(settleFor(timeouts, 'human')).toBe(450);
    expect(settleFor(timeouts, undefined)).toBe(450);
    expect(DEFAULT_WAKE_TIMEOUTS.settleMsByKind).toEqual(MEASURED_SETTLE_MS);
    expect(DEFAULT_WAKE_TIMEOUTS.settleMs).toBe(300);
  });

  it('stays at least 300 ms for an unmeasured kind; a measured kind may take its own, shorter pause', () => {
    expect(() => createWaker({ platform: 'linux', timeouts: { settleMs: 299 } })).toThrow(/settleMs/);
    expect(() => createWaker({ platform: 'linux', timeouts: { settleMsByKind: { 'claude-code': 20, codex: 0 } } })).not.toThrow();
    expect(() => createWaker({ platform: 'linux', timeouts: { settleMsByKind: { 'claude-code': -1, codex: 0 } } })).toThrow(/settleMsByKind/);
  });
});
