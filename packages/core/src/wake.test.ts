import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeWakeText, WAKE_MAX_CHARS, wakeText } from './wake.js';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('wake text', () => {
  it('is the fixed template', () => {
    expect(
      wakeText({
        kind: 'turn',
        conversation: 'api-shape-x1y2',
        session: 'codex-linux',
        turn: 3,
        maxTurns: 20,
        copyPath: '/home/u/.crosstalk/conversations/api-shape-x1y2.md',
        attempt: 1,
      }),
    ).toBe(
      'crosstalk: your turn in api-shape-x1y2 (turn 3/20). Read /home/u/.crosstalk/conversations/api-shape-x1y2.md, then answer with: crosstalk reply api-shape-x1y2 --as codex-linux --expect-turn 3',
    );
    expect(wakeText({ kind: 'turn', conversation: 'c-1', session: 's', turn: 3, maxTurns: 20, copyPath: '/p', attempt: 2 })).toMatch(
      /^crosstalk: reminder: your turn/,
    );
    expect(wakeText({ kind: 'limit', conversation: 'c-1', session: 'mod', maxTurns: 20, copyPath: '/p', attempt: 1 })).toContain(
      'crosstalk moderate c-1 --extend 10 --as mod',
    );
    expect(wakeText({ kind: 'unanswered', conversation: 'c-1', session: 'mod', silent: 'bob', copyPath: '/p', attempt: 1 })).toContain(
      'bob has not answered in c-1',
    );
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
