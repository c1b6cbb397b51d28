import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeWakeText, WAKE_MAX_CHARS, type WakeReason, wakeText } from './wake.js';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('wake text', () => {
  const copy = '/home/u/.crosstalk/conversations/api-shape-x1y2.md';

  it('is the fixed template, the cheap read first and the whole copy second, for each kind of line', () => {
    expect(wakeText({ kind: 'turn', conversation: 'api-shape-x1y2', session: 'codex-linux', turn: 3, maxTurns: 20, copyPath: copy, attempt: 1 })).toBe(
      'crosstalk: your turn in api-shape-x1y2 (turn 3/20). New turns: crosstalk read api-shape-x1y2 --new --as codex-linux; ' +
        `whole conversation: ${copy}. Answer with: crosstalk reply api-shape-x1y2 --as codex-linux --expect-turn 3`,
    );
    expect(wakeText({ kind: 'turn', conversation: 'api-shape-x1y2', session: 'codex-linux', turn: 5, maxTurns: 20, copyPath: copy, attempt: 2 })).toBe(
      'crosstalk: reminder: your turn in api-shape-x1y2 (turn 5/20). New turns: crosstalk read api-shape-x1y2 --new --as codex-linux; ' +
        `whole conversation: ${copy}. Answer with: crosstalk reply api-shape-x1y2 --as codex-linux --expect-turn 5`,
    );
    expect(wakeText({ kind: 'limit', conversation: 'api-shape-x1y2', session: 'claude-mac', maxTurns: 20, copyPath: copy, attempt: 1 })).toBe(
      'crosstalk: api-shape-x1y2 reached its limit of 20 turns; you moderate it. New turns: crosstalk read api-shape-x1y2 --new --as claude-mac; ' +
        `whole conversation: ${copy}. Extend: crosstalk moderate api-shape-x1y2 --extend 10 --as claude-mac; ` +
        'or close: crosstalk close api-shape-x1y2 --as claude-mac --resolution <text>',
    );
    expect(wakeText({ kind: 'unanswered', conversation: 'api-shape-x1y2', session: 'claude-mac', silent: 'codex-linux', copyPath: copy, attempt: 1 })).toBe(
      'crosstalk: codex-linux has not answered in api-shape-x1y2; you moderate it. New turns: crosstalk read api-shape-x1y2 --new --as claude-mac; ' +
        `whole conversation: ${copy}. Hand the floor on: crosstalk moderate api-shape-x1y2 --next <session> --as claude-mac`,
    );
  });

  it('is never cut: the longest names and a 240-character path fit every kind, and a longer path gives way to crosstalk read', () => {
    const id = `a${'b'.repeat(62)}c`;
    const session = `s${'t'.repeat(62)}u`;
    const path240 = `/${'p'.repeat(239)}`;
    const reasons = (copyPath: string, attempt: number): WakeReason[] => [
      { kind: 'turn', conversation: id, session, turn: 1000, maxTurns: 1000, copyPath, attempt },
      { kind: 'limit', conversation: id, session, maxTurns: 1000, copyPath, attempt },
      { kind: 'unanswered', conversation: id, session, silent: session, copyPath, attempt },
    ];
    for (const attempt of [1, 2]) {
      for (const reason of [...reasons(path240, attempt), ...reasons(`/${'q'.repeat(4000)}`, attempt)]) {
        const text = wakeText(reason);
        expect([...text].length, `${reason.kind} ${reason.copyPath.length}`).toBeLessThanOrEqual(WAKE_MAX_CHARS);
        expect(text.endsWith('…'), reason.kind).toBe(false);
        expect(text).toContain(`crosstalk read ${id} --new --as ${session}`);
        // The command to run comes last and is whole.
        expect(text).toMatch(/(--expect-turn 1000|--resolution <text>|--next <session> --as s[t]+u)$/);
        const named = text.includes(`whole conversation: ${reason.copyPath}.`) || text.includes(`whole conversation: crosstalk read ${id}.`);
        expect(named, text).toBe(true);
      }
    }
    // With a 240-character path, the turn and unanswered lines keep the path itself.
    expect(wakeText(reasons(path240, 2)[0]!)).toContain(path240);
    expect(wakeText(reasons(path240, 1)[2]!)).toContain(path240);
  });

  it('sanitises any input to one safe line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (s) => {
        const line = sanitizeWakeText(s);
        expect(line).not.toMatch(UNSAFE);
        expect(line).not.toMatch(/^[!/@#$\s]/);
        expect([...line].length).toBeLessThanOrEqual(WAKE_MAX_CHARS);
      }),
      { numRuns: 3000 },
    );
  });
  it('neutralises escape sequences, paste end markers, bidi and leading commands', () => {
    expect(sanitizeWakeText('!rm -rf /')).toBe('rm -rf /');
    expect(sanitizeWakeText('/exit')).toBe('exit');
    expect(sanitizeWakeText('  @#$/!x')).toBe('x');
    expect(sanitizeWakeText('a\u001b[201~b\r\nc\u202ed\u200be\u0085f')).toBe('a [201~b c d e f');
    expect(sanitizeWakeText('path C:\\Users\\me\\.crosstalk\\x.md')).toBe('path C:\\Users\\me\\.crosstalk\\x.md');
  });
});
