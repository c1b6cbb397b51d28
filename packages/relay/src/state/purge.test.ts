// Which records of a deleted conversation are served as stubs: its own events (opening, turns,
// moderation, close, archive, receipts) with seq and time kept; its tombstone and anything that
// only mentions it are kept whole, and a body quoting the field can never pass for it.
import { describe, expect, it } from 'vitest';
import { purgeRecord, recordConversation } from './purge.js';

const deleted = new Set(['gone-1']);
const rec = (event: object) => JSON.stringify({ seq: 7, type: 'x', at: '2026-01-01T00:00:00.000Z', ...event });

describe('purgeRecord', () => {
  it('turns the events of a deleted conversation into stubs with the same seq and time', () => {
    for (const event of [
      { type: 'turn.posted', conversation: 'gone-1', turn: { body: 'SECRET' } },
      { type: 'conversation.opened', conversation: { id: 'gone-1', turns: [{ body: 'SECRET' }] } },
      { type: 'receipt', receipt: { session: 's', host: 'h', conversation: 'gone-1', turn: 2 } },
      { type: 'conversation.closed', conversation: 'gone-1', by: 'a', resolution: 'SECRET' },
    ]) {
      expect(JSON.parse(purgeRecord(rec(event), deleted))).toEqual({
        seq: 7,
        type: 'conversation.purged',
        at: '2026-01-01T00:00:00.000Z',
        conversation: 'gone-1',
      });
    }
  });

  it('keeps the tombstone, other conversations, other kinds, and everything while nothing is deleted', () => {
    const tombstone = rec({ type: 'conversation.deleted', conversation: 'gone-1', by: 'admin', reason: 'request' });
    expect(purgeRecord(tombstone, deleted)).toBe(tombstone);
    const other = rec({ type: 'turn.posted', conversation: 'kept-2', turn: { body: 'hi' } });
    expect(purgeRecord(other, deleted)).toBe(other);
    const later = rec({ type: 'spawn.requested', conversation: 'gone-1' });
    expect(purgeRecord(later, deleted)).toBe(later);
    const any = rec({ type: 'turn.posted', conversation: 'gone-1' });
    expect(purgeRecord(any, new Set())).toBe(any);
  });

  it('a body quoting the field is not structure', () => {
    const quoting = rec({ type: 'turn.posted', conversation: 'kept-2', turn: { body: '"conversation":"gone-1"' } });
    expect(recordConversation(quoting)).toBe('kept-2');
    const first = rec({ type: 'session.registered', session: { name: 's', note: '"conversation":"gone-1"' } });
    expect(recordConversation(first)).toBeNull();
    expect(purgeRecord(first, deleted)).toBe(first);
  });
});
