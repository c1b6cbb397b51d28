// The outbox line and the link frame put together around a body's JSON are exactly what
// JSON.stringify makes of the same objects, for any body parsed from JSON and any names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryLine, postFrameJson, withExpectedTurn } from './json-text.js';

/** A body as the endpoint gets it: an object parsed from JSON, with odd keys and text. */
const body = fc
  .dictionary(fc.string({ unit: 'grapheme-composite' }), fc.jsonValue(), { maxKeys: 8 })
  .map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
const conversation = fc.option(text, { nil: undefined });

describe('json-text', () => {
  it('makes the outbox line JSON.stringify makes', () => {
    fc.assert(
      fc.property(text, text, conversation, body, text, (id, op, c, b, at) => {
        const entry = { id, op, ...(c === undefined ? {} : { conversation: c }), body: b, at };
        expect(entryLine(entry, JSON.stringify(b))).toBe(`${JSON.stringify({ '+': entry })}\n`);
      }),
      { numRuns: 500 },
    );
  });

  it('makes the link post frame JSON.stringify makes', () => {
    fc.assert(
      fc.property(text, text, conversation, body, (id, op, c, b) => {
        const frame = { t: 'post', id, op, ...(c === undefined ? {} : { conversation: c }), body: b };
        expect(postFrameJson(id, op, c, JSON.stringify(b))).toBe(JSON.stringify(frame));
      }),
      { numRuns: 500 },
    );
  });

  it('adds an expected turn as the spread of the body does', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 1, max: 1_000_000 }), (b, n) => {
        fc.pre(!Object.hasOwn(b, 'expectedTurn'));
        expect(withExpectedTurn(JSON.stringify(b), n)).toBe(JSON.stringify({ ...b, expectedTurn: n }));
      }),
      { numRuns: 500 },
    );
    expect(withExpectedTurn('{}', 3)).toBe('{"expectedTurn":3}');
    // A body with a key "__proto__" (JSON.parse makes it an own key) keeps it.
    const odd = JSON.parse('{"__proto__":{"x":1},"as":"a1"}') as Record<string, unknown>;
    expect(withExpectedTurn(JSON.stringify(odd), 2)).toBe(JSON.stringify({ ...odd, expectedTurn: 2 }));
  });
});
