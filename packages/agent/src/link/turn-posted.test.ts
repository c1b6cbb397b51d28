import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RelayEventSchema, ServerMessageSchema } from '@crosstalk/core';
import { eventsFrame, parseServerMessage } from './frames.js';
import { isTurnPosted } from './turn-posted.js';

// Each field mostly valid, now and then on or past one of its rule's edges, so that generated
// events land on both sides of the rules.
const mostly = <T, U>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) => fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: odd });
const validName = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const oddName = fc.oneof(fc.constantFrom('', 'A', 'a-', '-a', 'con', 'a_b', 'a'.repeat(64), 'a'.repeat(65), 'é', 'a b'), fc.string({ maxLength: 6 }));
const name = mostly(validName, oddName);
const oddText = fc.oneof(
  fc.constantFrom('', 'a\u0000b', '\uD800', 'x\uDC00', '\uD83D\uDE00', 'x'.repeat(4096), 'x'.repeat(4097), 'x'.repeat(65_536), 'x'.repeat(65_537)),
  fc.string({ maxLength: 8, unit: 'binary' }),
);
const text = mostly(fc.string({ maxLength: 20, unit: 'grapheme' }), oddText);
const iso = mostly(
  fc.date({ min: new Date(0), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-12-06T13:00:00Z',
    '2026-12-06T13:00:00.123456789Z',
    '2026-12-06T13:00:00.1234567890Z',
    '2026-12-06 13:00:00Z',
    '2026-12-06T13:00:00',
    `2026-12-06T13:00:00.${'1'.repeat(30)}Z`,
  ),
);
const oddNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1_000_000, 1_000_001, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY, 1e21),
  fc.double(),
  fc.string({ maxLength: 3 }),
);
const number = mostly(fc.integer({ min: 1, max: 1_000_000 }), oddNumber);
const names = mostly(
  fc.array(name, { maxLength: 4 }),
  fc.oneof(
    fc.constantFrom(
      Array.from({ length: 32 }, (_, i) => `s${i}`),
      Array.from({ length: 33 }, (_, i) => `s${i}`),
    ),
    fc.jsonValue({ maxDepth: 1 }),
  ),
);
const status = mostly(fc.constantFrom('in-progress', 'at-limit', 'converged', 'closed'), fc.constantFrom('open', '', 'IN-PROGRESS', null, 1));
const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), name, text, number, names, fc.constant(null), fc.constant(undefined));

const turnArb = fc.record(
  { n: number, author: name, host: name, at: iso, body: text, next: names, proposes: text, agrees: number },
  { requiredKeys: ['n', 'author', 'host', 'at', 'body', 'next'] },
);
const proposalArb = mostly(fc.option(fc.record({ turn: number, by: name, text, agreed: names }), { nil: null }), fc.jsonValue({ maxDepth: 1 }));
const decisionArb = mostly(fc.option(fc.record({ text, turn: number, at: iso, agreedBy: names }), { nil: null }), fc.jsonValue({ maxDepth: 1 }));
const eventArb = fc.record({
  seq: number,
  at: iso,
  type: fc.constant('turn.posted'),
  conversation: name,
  turn: turnArb,
  status,
  next: names,
  proposal: proposalArb,
  decision: decisionArb,
  key: mostly(fc.string({ maxLength: 10 }), fc.oneof(fc.constantFrom('k'.repeat(200), 'k'.repeat(201)), fc.integer())),
});

/** Where a mutation lands: the event, its turn, its proposal or its decision. */
const mutation = fc.record({
  where: fc.constantFrom('event', 'turn', 'proposal', 'decision'),
  key: fc.constantFrom(
    'seq',
    'at',
    'type',
    'conversation',
    'turn',
    'status',
    'next',
    'proposal',
    'decision',
    'key',
    'n',
    'author',
    'host',
    'body',
    'proposes',
    'agrees',
    'by',
    'text',
    'agreed',
    'agreedBy',
    'extra',
    '__proto__',
  ),
  how: fc.constantFrom('set', 'delete'),
  value: anything,
});

function mutate(e: Record<string, unknown>, m: { where: string; key: string; how: string; value: unknown }): void {
  const target = (m.where === 'event' ? e : e[m.where]) as Record<string, unknown> | null;
  if (typeof target !== 'object' || target === null) return;
  if (m.how === 'delete') delete target[m.key];
  else if (m.key === '__proto__') Object.defineProperty(target, '__proto__', { value: m.value, enumerable: true, configurable: true, writable: true });
  else target[m.key] = m.value;
}

/** As the link would see it: through JSON, so undefined values drop out as they would on the wire. */
const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v) ?? 'null');

describe('the hand check of turn.posted events', () => {
  it('accepts exactly what core schema accepts, over generated events broken in every field', () => {
    let accepted = 0;
    fc.assert(
      fc.property(eventArb, fc.array(mutation, { maxLength: 2 }), (event, mutations) => {
        for (const m of mutations) mutate(event as Record<string, unknown>, m);
        const e = viaJson(event);
        const schema = RelayEventSchema.safeParse(e).success;
        if (schema) accepted++;
        expect(isTurnPosted(e)).toBe(schema);
      }),
      { numRuns: 5000 },
    );
    // The generator reaches both sides of the rules, not only refusals.
    expect(accepted).toBeGreaterThan(500);
  });

  it('agrees with the schema on values that are not even objects', () => {
    for (const v of [null, 1, 'turn.posted', [], [{ type: 'turn.posted' }], {}]) expect(isTurnPosted(v)).toBe(RelayEventSchema.safeParse(v).success);
  });
});

const valid = {
  seq: 7,
  at: '2026-12-06T13:00:00.000Z',
  type: 'turn.posted',
  conversation: 'c-1',
  turn: { n: 2, author: 'a', host: 'h', at: '2026-12-06T13:00:00.000Z', body: 'hello', next: ['b'] },
  status: 'in-progress',
  next: ['b'],
  proposal: null,
  decision: null,
  key: 'h:k1',
};
const registered = {
  seq: 8,
  at: '2026-12-06T13:00:00.000Z',
  type: 'session.registered',
  session: { name: 'b', host: 'h', kind: 'other', wake: { type: 'none' }, joinedAt: '2026-12-06T13:00:00.000Z' },
};

describe('events frames', () => {
  it('are taken or refused as the schema takes or refuses them, mixed kinds included', () => {
    const frames: unknown[] = [
      { t: 'events', events: [] },
      { t: 'events', events: [valid] },
      { t: 'events', events: [valid, registered, { ...valid, seq: 9 }] },
      { t: 'events', events: [registered] },
      { t: 'events', events: [valid, { ...registered, seq: 'x' }] },
      { t: 'events', events: [valid, { ...valid, turn: { ...valid.turn, body: 'a\u0000' } }] },
      { t: 'events', events: [valid], extra: 1 },
      { t: 'events', events: {} },
      { t: 'events' },
      { t: 'events', events: [null] },
      { t: 'events', events: [{ type: 'nothing.known' }] },
      { t: 'events', events: Array.from({ length: 10_001 }, () => valid) },
    ];
    for (const f of frames) {
      const schema = ServerMessageSchema.safeParse(f);
      expect(eventsFrame(f) !== null, JSON.stringify(f).slice(0, 200)).toBe(schema.success);
      expect(parseServerMessage(Buffer.from(JSON.stringify(f)), false)).toEqual(schema.success ? schema.data : null);
    }
  });

  it('leave every other frame to the schema', () => {
    expect(eventsFrame({ t: 'welcome' })).toBeUndefined();
    expect(eventsFrame(null)).toBeUndefined();
    expect(eventsFrame([valid])).toBeUndefined();
  });
});
