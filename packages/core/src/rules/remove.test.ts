// Archive and delete as pure rules: who may, when, and what applying the events does to a state.
import { describe, expect, it } from 'vitest';
import { applyEvent, conversationOfEvent } from '../state.js';
import { MemoryRelay } from '../test-support.js';
import { decideClose } from './moderate.js';
import { decideOpen } from './open-post.js';
import { decideArchive, decideDelete } from './remove.js';

function setup() {
  const r = new MemoryRelay();
  r.register('a', 'h1');
  r.register('b', 'h2');
  r.commit(
    decideOpen(r.state, { actor: { kind: 'session', session: 'a', host: 'h1' }, id: 'talk-1', topic: 't', with: ['b'], body: 'x', key: 'k', at: r.now() }),
  );
  return r;
}
const a = { kind: 'session', session: 'a', host: 'h1' } as const;
const b = { kind: 'session', session: 'b', host: 'h2' } as const;

describe('decideArchive', () => {
  it('the moderator or the admin, once', () => {
    const r = setup();
    expect(() => decideArchive(r.state, { actor: b, conversation: 'talk-1', at: r.now() })).toThrow(expect.objectContaining({ code: 'NOT_MODERATOR' }));
    const [event] = r.commit(decideArchive(r.state, { actor: a, conversation: 'talk-1', at: r.now() }));
    expect(event).toMatchObject({ type: 'conversation.archived', conversation: 'talk-1', by: 'a' });
    expect(r.state.conversations.get('talk-1')).toMatchObject({ archived: true, seq: event?.seq });
    expect(() => decideArchive(r.state, { actor: { kind: 'admin' }, conversation: 'talk-1', at: r.now() })).toThrow(
      expect.objectContaining({ code: 'CONVERSATION_ARCHIVED' }),
    );
  });
});

describe('decideDelete', () => {
  it('the moderator once closed, the admin any time; applying removes the conversation, twice is a no-op', () => {
    const r = setup();
    expect(() => decideDelete(r.state, { actor: a, conversation: 'talk-1', at: r.now() })).toThrow(
      expect.objectContaining({ code: 'CONVERSATION_NOT_CLOSED' }),
    );
    expect(() => decideDelete(r.state, { actor: b, conversation: 'talk-1', at: r.now() })).toThrow(expect.objectContaining({ code: 'NOT_MODERATOR' }));
    const admin = decideDelete(r.state, { actor: { kind: 'admin' }, conversation: 'talk-1', at: r.now(), reason: 'retention' });
    expect(admin).toMatchObject({ events: [{ type: 'conversation.deleted', by: 'admin', reason: 'retention' }] });
    r.commit(decideClose(r.state, { actor: a, conversation: 'talk-1', resolution: 'done', at: r.now() }));
    const [tombstone] = r.commit(decideDelete(r.state, { actor: a, conversation: 'talk-1', at: r.now() }));
    expect(tombstone).toMatchObject({ type: 'conversation.deleted', by: 'a', reason: 'request' });
    expect(r.state.conversations.has('talk-1')).toBe(false);
    expect(() => decideDelete(r.state, { actor: { kind: 'admin' }, conversation: 'talk-1', at: r.now() })).toThrow(
      expect.objectContaining({ code: 'CONVERSATION_NOT_FOUND' }),
    );
    // A purged stub changes nothing; a tombstone for a conversation never held is no gap.
    const seq = r.state.seq;
    applyEvent(r.state, { seq: seq + 1, at: r.now(), type: 'conversation.purged', conversation: 'other-2' });
    applyEvent(r.state, { seq: seq + 2, at: r.now(), type: 'conversation.deleted', conversation: 'other-2', by: 'admin', reason: 'request' });
    expect(r.state.seq).toBe(seq + 2);
    expect(conversationOfEvent({ seq: 1, at: r.now(), type: 'conversation.purged', conversation: 'x-1' })).toBe('x-1');
  });
});
