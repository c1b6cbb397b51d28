import { describe, expect, it } from 'vitest';
import { ServerMessageSchema } from '@crosstalk/core';
import { parseServerMessage, postedFrame } from './frames.js';

const frames: unknown[] = [
  { t: 'posted', id: 'abc_DEF-1', status: 201, answer: { conversation: 'c-1', turn: 2 } },
  { t: 'posted', id: 'abc', status: 200, answer: {} },
  { t: 'posted', id: 'a b', status: 201, answer: {} },
  { t: 'posted', id: 'x'.repeat(65), status: 201, answer: {} },
  { t: 'posted', id: '', status: 201, answer: {} },
  { t: 'posted', id: 'abc', status: 201.5, answer: {} },
  { t: 'posted', id: 'abc', status: '201', answer: {} },
  { t: 'posted', id: 'abc', status: 201, answer: [] },
  { t: 'posted', id: 'abc', status: 201, answer: null },
  { t: 'posted', id: 'abc', status: 201 },
  { t: 'posted', id: 'abc', status: 201, answer: {}, extra: 1 },
  { t: 'posted', id: 7, status: 201, answer: {} },
];

describe('posted frames', () => {
  it('are taken or refused by the hand check exactly as the schema takes or refuses them', () => {
    for (const f of frames) {
      const schema = ServerMessageSchema.safeParse(f);
      expect(postedFrame(f) !== null, JSON.stringify(f)).toBe(schema.success);
      expect(parseServerMessage(Buffer.from(JSON.stringify(f)), false)).toEqual(schema.success ? schema.data : null);
    }
  });

  it('leave every other frame to the schema', () => {
    expect(postedFrame({ t: 'refused', id: 'abc', status: 409, code: 'TURN_CONFLICT', message: 'm', hint: 'h' })).toBeUndefined();
    expect(postedFrame([{ t: 'posted' }])).toBeUndefined();
    expect(postedFrame(null)).toBeUndefined();
  });
});
