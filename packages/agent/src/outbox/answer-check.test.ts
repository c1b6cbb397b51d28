// The check by hand of a relay's answer never takes what core's answer schemas would refuse or
// change: whatever it passes, the schema passes and outputs unchanged (same fields, same order).
// And it does pass what the relay sends, so the schema is rarely needed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONVERSATION_STATUSES, LIMITS, ModerateAnswerSchema, PostAnswerSchema } from '@crosstalk/core';
import { plainlyValidAnswer } from './answer-check.js';

/** Mostly what the relay sends; now and then something near it the schema may refuse. */
const mostly = <T, U>(good: fc.Arbitrary<T>, near: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: good, weight: 50 }, { arbitrary: near, weight: 1 });
const name = mostly(
  fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/),
  fc.constantFrom('a1', 'con', 'nul', 'A1', '-a', 'a-', '', 'x'.repeat(64), 'x'.repeat(65)),
);
const text = mostly(fc.string({ unit: 'grapheme' }), fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('a\u0000b', '\ud800', '', ' ')));
const iso = mostly(
  fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-12-06T00:00:00Z', '2026-12-06T00:00:00.123456789Z', '2026-12-06T00:00:00.1234567890Z', '2026-12-06 00:00:00Z', 'x'),
);
const int = (min: number, max: number) =>
  mostly(fc.integer({ min, max }), fc.constantFrom(min - 1, max + 1, 0.5, -0, Number.NaN, Number.MAX_SAFE_INTEGER + 1, Number.POSITIVE_INFINITY));
const nameList = mostly(fc.array(name, { maxLength: 4 }), fc.array(fc.constant('a1'), { minLength: LIMITS.participants, maxLength: LIMITS.participants + 1 }));
const odd = fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));

/** Fields in the schema's order, with at times one of them moved, dropped, doubled in a new key or replaced. */
function object(entries: Array<[string, fc.Arbitrary<unknown>]>, optional: Array<[string, fc.Arbitrary<unknown>]>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.tuple(...entries.map(([, a]) => a)),
      fc.tuple(...optional.map(([, a]) => fc.option(a, { nil: undefined }))),
      mostly(fc.constant(undefined), fc.tuple(fc.nat(20), fc.constantFrom('swap', 'drop', 'extra', 'odd'))),
      odd,
    )
    .map(([values, opts, change, oddValue]) => {
      const pairs: Array<[string, unknown]> = entries.map(([k], i) => [k, values[i]]);
      optional.forEach(([k], i) => {
        if (opts[i] !== undefined) pairs.push([k, opts[i]]);
      });
      if (change) {
        const [at, how] = change;
        const i = at % pairs.length;
        if (how === 'swap' && pairs.length > 1) {
          const j = (i + 1) % pairs.length;
          [pairs[i], pairs[j]] = [pairs[j] as [string, unknown], pairs[i] as [string, unknown]];
        } else if (how === 'drop') pairs.splice(i, 1);
        else if (how === 'extra') pairs.splice(i, 0, ['extra', oddValue]);
        else (pairs[i] as [string, unknown])[1] = oddValue;
      }
      return Object.fromEntries(pairs);
    });
}

const summary = object(
  [
    ['id', name],
    ['topic', text],
    ['status', mostly(fc.constantFrom<string>(...CONVERSATION_STATUSES), fc.constant('open'))],
    ['participants', nameList],
    ['moderator', name],
    ['next', nameList],
    ['turns', int(0, LIMITS.maxTurnsCeiling * 2)],
    ['maxTurns', int(1, LIMITS.maxTurnsCeiling)],
    ['openedBy', name],
    ['openedAt', iso],
    ['seq', int(0, 1e9)],
    ['updatedAt', iso],
  ],
  [['archived', mostly(fc.boolean(), odd)]],
);
const turn = object(
  [
    ['n', int(1, 1_000_000)],
    ['author', name],
    ['host', name],
    ['at', iso],
    ['body', text],
    ['next', nameList],
  ],
  [
    ['proposes', text],
    ['agrees', int(1, 1_000_000)],
  ],
);
const postAnswer = object(
  [
    ['conversation', summary],
    ['turn', turn],
    ['seq', int(0, 1e9)],
    ['duplicate', mostly(fc.boolean(), odd)],
  ],
  [],
);
const moderateAnswer = object(
  [
    ['conversation', summary],
    ['seq', int(0, 1e9)],
  ],
  [],
);

/** What the schema makes of `answer`, as JSON (so the order of fields counts), or null when it refuses it. */
function bySchema(schema: typeof PostAnswerSchema | typeof ModerateAnswerSchema, answer: unknown): string | null {
  const parsed = schema.safeParse(answer);
  return parsed.success ? JSON.stringify(parsed.data) : null;
}

describe('plainlyValidAnswer', () => {
  it('passes only post answers the schema outputs unchanged, and most of those it takes', () => {
    let passed = 0;
    let schemaOnly = 0;
    fc.assert(
      fc.property(postAnswer, (answer) => {
        const schema = bySchema(PostAnswerSchema, answer);
        if (plainlyValidAnswer(answer, 'post')) {
          passed++;
          expect(schema).toBe(JSON.stringify(answer));
        } else if (schema === JSON.stringify(answer)) schemaOnly++;
      }),
      { numRuns: 3000 },
    );
    expect(passed).toBeGreaterThan(50);
    // What the schema takes unchanged and the check leaves to it: only what a test makes, never the relay.
    expect(schemaOnly).toBeLessThan(passed);
  });

  it('passes only moderation answers the schema outputs unchanged', () => {
    let passed = 0;
    fc.assert(
      fc.property(moderateAnswer, (answer) => {
        if (!plainlyValidAnswer(answer, 'moderate')) return;
        passed++;
        expect(bySchema(ModerateAnswerSchema, answer)).toBe(JSON.stringify(answer));
      }),
      { numRuns: 2000 },
    );
    expect(passed).toBeGreaterThan(50);
  });

  it('passes an answer as the relay makes it, and leaves other shapes to the schema', () => {
    const conversation = {
      id: 'plan-a1b2',
      topic: 'the plan',
      status: 'in-progress',
      participants: ['a1', 'b1'],
      moderator: 'a1',
      next: ['b1'],
      turns: 2,
      maxTurns: 20,
      openedBy: 'a1',
      openedAt: '2026-12-06T10:00:00.000Z',
      seq: 41,
      updatedAt: '2026-12-06T10:01:00.000Z',
    };
    const turnMade = { n: 2, author: 'a1', host: 'alpha', at: '2026-12-06T10:01:00.000Z', body: 'hi', next: ['b1'], proposes: 'ship it' };
    expect(plainlyValidAnswer({ conversation, turn: turnMade, seq: 42, duplicate: false }, 'post')).toBe(true);
    expect(plainlyValidAnswer({ conversation: { ...conversation, archived: true }, seq: 42 }, 'moderate')).toBe(true);
    // A field the schema would drop, an answer of the other kind, a class instance: the schema decides.
    expect(plainlyValidAnswer({ conversation, turn: turnMade, seq: 42, duplicate: false, more: 1 }, 'post')).toBe(false);
    expect(plainlyValidAnswer({ conversation, seq: 42 }, 'post')).toBe(false);
    expect(plainlyValidAnswer(new Map(), 'moderate')).toBe(false);
    expect(plainlyValidAnswer({ conversation, turn: { ...turnMade, extra: 1 }, seq: 42, duplicate: false }, 'post')).toBe(false);
  });
});
