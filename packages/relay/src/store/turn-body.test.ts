// A turn's body found in its record's bytes: where its text lies and what it weighs in UTF-8,
// for every way a body can be written, and no answer where the whole record must be parsed.
import { utf8Length } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { encodeRecord, RECORD_PREFIX_BYTES } from './record.js';
import { OffsetIndex } from './ring.js';
import { elidedTurnHolds, turnBodySpan } from './turn-body.js';

const BODIES = ['plain words', 'quotes " and backslashes \\ and a slash /', 'tabs\t, lines\n and \r\n', 'é ü 中文 🚀 zero\u200bwidth', 'x'.repeat(70_000)];

function turnRecord(seq: number, body: string, proposes?: string): Buffer {
  const turn = { n: 2, author: 'a', host: 'h', at: '2026-01-01T00:00:00.000Z', body, next: ['b'], ...(proposes ? { proposes } : {}) };
  return encodeRecord(JSON.stringify({ seq, type: 'turn.posted', at: turn.at, conversation: 'c', turn, status: 'in-progress', next: ['b'], key: 'h:k' }));
}

function openedRecord(seq: number, body: string): Buffer {
  const turn = { n: 1, author: 'a', host: 'h', at: '2026-01-01T00:00:00.000Z', body, next: ['b'] };
  const conversation = { id: 'c', topic: 'body "quoted"', participants: ['a', 'b'], turns: [turn] };
  return encodeRecord(JSON.stringify({ seq, type: 'conversation.opened', at: turn.at, conversation, key: 'h:k' }));
}

/** The span of a record's body, and the record parsed with the body's text cut out. */
function span(line: Buffer, seq: number) {
  const afterSeq = RECORD_PREFIX_BYTES + `{"seq":${seq},`.length;
  const s = turnBodySpan(line, afterSeq, line.length - 1);
  if (!s) return null;
  const cut = JSON.parse(line.toString('utf8', RECORD_PREFIX_BYTES, s.start) + line.toString('utf8', s.end, line.length - 1));
  return { ...s, text: line.toString('utf8', s.start, s.end), cut };
}

describe('a turn body read from its record', () => {
  it('lies between its quotes and weighs what its text weighs in UTF-8, for turns and openings', () => {
    for (const body of BODIES) {
      for (const [line, seq] of [
        [turnRecord(12, body), 12],
        [openedRecord(987_654, body), 987_654],
      ] as const) {
        const s = span(line, seq);
        expect(s).not.toBeNull();
        expect(s?.bytes).toBe(utf8Length(body));
        expect(s?.text).toBe(JSON.stringify(body).slice(1, -1));
        expect(elidedTurnHolds(s?.cut)).toBe(true);
      }
    }
  });

  it('leaves to the whole parse a body with a \\u escape or a raw control byte, a record of another kind, and a turn that proposes', () => {
    expect(span(turnRecord(3, 'a bell \u0007 rings'), 3)).toBeNull();
    const raw = Buffer.from(turnRecord(6, 'tab\there'));
    raw[raw.indexOf('\\t')] = 0x09;
    expect(span(raw, 6)).toBeNull();
    const receipt = encodeRecord(JSON.stringify({ seq: 4, type: 'receipt', at: 'x', receipt: { session: 's', body: 'not a turn' } }));
    expect(span(receipt, 4)).toBeNull();
    const proposing = span(turnRecord(5, 'we agree', 'we agree'), 5);
    expect(proposing && elidedTurnHolds(proposing.cut)).toBe(false);
  });
});

describe('the offset index', () => {
  it('gives back every offset across its pages, and offsets more than 4 GiB into a page', () => {
    const index = new OffsetIndex();
    const offsets: number[] = [];
    let at = 0;
    for (let i = 0; i < 200_000; i++) {
      offsets.push(at);
      index.push(at);
      at += i === 150_000 ? 5 * 2 ** 30 : 1 + (i % 977);
    }
    expect(index.size).toBe(offsets.length);
    for (let seq = 1; seq <= offsets.length; seq += 1 + (seq % 13)) expect(index.of(seq)).toBe(offsets[seq - 1]);
    expect(index.of(offsets.length)).toBe(offsets[offsets.length - 1]);
    expect(() => index.of(offsets.length + 1)).toThrow(RangeError);
  });
});
