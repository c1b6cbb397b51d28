import { beforeEach, describe, expect, it } from 'vitest';
import { CrosstalkError, type ErrorCode } from '../errors.js';
import { decideClose, decideModerate, decideOpen, decidePost, rotationNext, sessionsToWake, type PostCommand } from './index.js';
import { MemoryRelay } from '../test-support.js';
import type { Actor, Conversation } from '../types.js';

const as = (session: string, host = 'h1'): Actor & { kind: 'session' } => ({ kind: 'session', session, host });
const admin: Actor = { kind: 'admin' };

function expectCode(fn: () => unknown, code: ErrorCode): CrosstalkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CrosstalkError);
    expect((e as CrosstalkError).code).toBe(code);
    return e as CrosstalkError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

let relay: MemoryRelay;
let keyCounter = 0;
const key = () => `k-${++keyCounter}`;

function open(overrides: Partial<Parameters<typeof decideOpen>[1]> = {}): Conversation {
  const events = relay.commit(
    decideOpen(relay.state, {
      actor: as('alice'),
      id: `talk-${++keyCounter}`,
      topic: 'pytorch version',
      with: ['bob'],
      body: 'What pytorch are you on?',
      key: key(),
      at: relay.now(),
      ...overrides,
    }),
  );
  const e = events[0];
  if (e?.type !== 'conversation.opened') throw new Error('not opened');
  return relay.state.conversations.get(e.conversation.id) as Conversation;
}

function post(c: Conversation, author: string, host: string, extra: Partial<PostCommand> = {}): Conversation {
  relay.commit(
    decidePost(relay.state, {
      actor: as(author, host),
      conversation: c.id,
      expectedTurn: c.turns.length + 1,
      key: key(),
      body: `turn by ${author}`,
      at: relay.now(),
      ...extra,
    }),
  );
  return relay.state.conversations.get(c.id) as Conversation;
}

beforeEach(() => {
  relay = new MemoryRelay();
  relay.register('alice', 'h1');
  relay.register('bob', 'h2');
  relay.register('carol', 'h3');
  relay.register('mod', 'h1');
});

describe('open', () => {
  it('opens with the opener first, rotation next, defaults', () => {
    const c = open();
    expect(c.participants).toEqual(['alice', 'bob']);
    expect(c.moderator).toBe('alice');
    expect(c.maxTurns).toBe(20);
    expect(c.status).toBe('in-progress');
    expect(c.next).toEqual(['bob']);
    expect(c.turns).toHaveLength(1);
    expect(c.turns[0]).toMatchObject({ n: 1, author: 'alice', host: 'h1', body: 'What pytorch are you on?', next: ['bob'] });
    expect(c.seq).toBe(relay.state.seq);
  });
  it('refuses unknown, foreign, and invalid sessions and bad input', () => {
    expectCode(
      () => decideOpen(relay.state, { actor: as('zed'), id: 'x-1', topic: 't', with: ['bob'], body: 'b', key: key(), at: relay.now() }),
      'SESSION_NOT_FOUND',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('bob', 'h1'), id: 'x-1', topic: 't', with: ['alice'], body: 'b', key: key(), at: relay.now() }),
      'SESSION_NOT_OWNED',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['nobody'], body: 'b', key: key(), at: relay.now() }),
      'SESSION_NOT_FOUND',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['../x'], body: 'b', key: key(), at: relay.now() }),
      'INVALID_NAME',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['alice'], body: 'b', key: key(), at: relay.now() }),
      'TOO_FEW_PARTICIPANTS',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: '\u001b[31m', with: ['bob'], body: 'b', key: key(), at: relay.now() }),
      'INVALID_TEXT',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['bob'], body: '  ', key: key(), at: relay.now() }),
      'EMPTY_BODY',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['bob'], body: 'x'.repeat(64 * 1024 + 1), key: key(), at: relay.now() }),
      'BODY_TOO_LARGE',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['bob'], body: 'a\u0000b', key: key(), at: relay.now() }),
      'INVALID_TEXT',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['bob'], body: 'b', key: key(), maxTurns: 0, at: relay.now() }),
      'INVALID_REQUEST',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['bob'], body: 'b', key: key(), next: ['carol'], at: relay.now() }),
      'NOT_A_PARTICIPANT',
    );
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-1', topic: 't', with: ['bob'], body: 'b', key: 'bad key', at: relay.now() }),
      'INVALID_REQUEST',
    );
    expect(relay.state.conversations.size).toBe(0);
  });
  it('accepts a body of exactly 64 KiB, counted in UTF-8 bytes', () => {
    expect(open({ body: 'é'.repeat(32 * 1024) }).turns[0]?.body).toHaveLength(32 * 1024);
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'x-2', topic: 't', with: ['bob'], body: 'é'.repeat(32 * 1024 + 1), key: key(), at: relay.now() }),
      'BODY_TOO_LARGE',
    );
  });
  it('is idempotent per host and key', () => {
    const first = decideOpen(relay.state, { actor: as('alice'), id: 'a-1', topic: 't', with: ['bob'], body: 'b', key: 'same', at: relay.now() });
    relay.commit(first);
    const again = decideOpen(relay.state, { actor: as('alice'), id: 'a-2', topic: 't', with: ['bob'], body: 'b', key: 'same', at: relay.now() });
    expect(again).toEqual({ kind: 'duplicate', conversation: 'a-1', turn: 1 });
    expectCode(
      () => decideOpen(relay.state, { actor: as('alice'), id: 'a-4', topic: 't', with: ['bob'], body: 'other body', key: 'same', at: relay.now() }),
      'IDEMPOTENCY_KEY_REUSED',
    );
    const otherHost = decideOpen(relay.state, { actor: as('bob', 'h2'), id: 'a-3', topic: 't', with: ['alice'], body: 'b', key: 'same', at: relay.now() });
    expect(otherHost.kind).toBe('events');
  });
  it('honours moderator, explicit next and a limit of one turn', () => {
    const c = open({ with: ['bob', 'carol'], moderator: 'mod', next: ['carol'] });
    expect(c.moderator).toBe('mod');
    expect(c.next).toEqual(['carol']);
    const tiny = open({ maxTurns: 1 });
    expect(tiny.status).toBe('at-limit');
    expect(tiny.next).toEqual(['alice']);
  });
});

describe('post', () => {
  it('rotates through participants and records author and host from the actor', () => {
    let c = open({ with: ['bob', 'carol'] });
    c = post(c, 'bob', 'h2');
    expect(c.next).toEqual(['carol']);
    expect(c.turns[1]).toMatchObject({ n: 2, author: 'bob', host: 'h2' });
    c = post(c, 'carol', 'h3');
    expect(c.next).toEqual(['alice']);
  });
  it('lets a turn name who speaks next, only participants or the moderator', () => {
    let c = open({ with: ['bob', 'carol'] });
    c = post(c, 'bob', 'h2', { next: ['alice', 'carol'] });
    expect(c.next).toEqual(['alice', 'carol']);
    expectCode(
      () => decidePost(relay.state, { actor: as('alice'), conversation: c.id, expectedTurn: 3, key: key(), body: 'x', next: ['mod'], at: relay.now() }),
      'NOT_A_PARTICIPANT',
    );
  });
  it('refuses a session that is not next, a stale turn, foreign sessions', () => {
    const c = open({ moderator: 'mod' });
    expectCode(
      () => decidePost(relay.state, { actor: as('alice'), conversation: c.id, expectedTurn: 2, key: key(), body: 'x', at: relay.now() }),
      'NOT_YOUR_TURN',
    );
    expectCode(
      () => decidePost(relay.state, { actor: as('carol', 'h3'), conversation: c.id, expectedTurn: 2, key: key(), body: 'x', at: relay.now() }),
      'NOT_YOUR_TURN',
    );
    const stale = expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h2'), conversation: c.id, expectedTurn: 1, key: key(), body: 'x', at: relay.now() }),
      'TURN_CONFLICT',
    );
    expect(stale.details).toEqual({ expectedTurn: 1, nextTurn: 2 });
    expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h2'), conversation: c.id, expectedTurn: 3, key: key(), body: 'x', at: relay.now() }),
      'TURN_CONFLICT',
    );
    expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h1'), conversation: c.id, expectedTurn: 2, key: key(), body: 'x', at: relay.now() }),
      'SESSION_NOT_OWNED',
    );
    expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h2'), conversation: 'no-such-1', expectedTurn: 2, key: key(), body: 'x', at: relay.now() }),
      'CONVERSATION_NOT_FOUND',
    );
    expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h2'), conversation: 'NO', expectedTurn: 2, key: key(), body: 'x', at: relay.now() }),
      'INVALID_NAME',
    );
    expect(relay.state.conversations.get(c.id)?.turns).toHaveLength(1);
  });
  it('lets the moderator always post', () => {
    let c = open({ with: ['bob', 'carol'], moderator: 'mod' });
    c = post(c, 'mod', 'h1');
    expect(c.turns).toHaveLength(2);
    expect(c.next).toEqual(['bob']);
  });
  it('returns the original turn for a repeated key and refuses it on another conversation', () => {
    const c = open();
    const cmd: PostCommand = { actor: as('bob', 'h2'), conversation: c.id, expectedTurn: 2, key: 'retry-me', body: 'once', at: relay.now() };
    relay.commit(decidePost(relay.state, cmd));
    expect(decidePost(relay.state, cmd)).toEqual({ kind: 'duplicate', conversation: c.id, turn: 2 });
    const other = open({ actor: as('bob', 'h2'), with: ['alice'] });
    expectCode(() => decidePost(relay.state, { ...cmd, conversation: other.id }), 'IDEMPOTENCY_KEY_REUSED');
    expectCode(() => decidePost(relay.state, { ...cmd, body: 'a different body' }), 'IDEMPOTENCY_KEY_REUSED');
  });
  it('hands the floor to the moderator at the turn limit; only the moderator may post; extend reopens', () => {
    let c = open({ maxTurns: 3, with: ['bob'], moderator: 'mod' });
    c = post(c, 'bob', 'h2');
    c = post(c, 'alice', 'h1');
    expect(c.status).toBe('at-limit');
    expect(c.next).toEqual(['mod']);
    expect(sessionsToWake(c)).toEqual(['mod']);
    expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h2'), conversation: c.id, expectedTurn: 4, key: key(), body: 'x', at: relay.now() }),
      'LIMIT_REACHED',
    );
    expectCode(
      () => decideModerate(relay.state, { actor: as('mod'), conversation: c.id, action: { type: 'next', next: ['bob'] }, at: relay.now() }),
      'LIMIT_REACHED',
    );
    c = post(c, 'mod', 'h1', { body: 'moderator note over the limit' });
    expect(c.turns).toHaveLength(4);
    expect(c.status).toBe('at-limit');
    relay.commit(decideModerate(relay.state, { actor: as('mod'), conversation: c.id, action: { type: 'extend', by: 10 }, at: relay.now() }));
    c = relay.state.conversations.get(c.id) as Conversation;
    expect(c.status).toBe('in-progress');
    expect(c.maxTurns).toBe(13);
    expect(c.next).toEqual(['bob']);
    expect(c.notes.at(-1)?.text).toBe('Extended the turn limit to 13.');
  });
  it('converges when every participant agrees; a new proposal resets agreement', () => {
    let c = open({ with: ['bob', 'carol'] });
    c = post(c, 'bob', 'h2', { propose: 'use pytorch 2.1.2' });
    expect(c.proposal).toMatchObject({ turn: 2, by: 'bob', agreed: ['bob'] });
    c = post(c, 'carol', 'h3', { agree: true });
    expect(c.status).toBe('in-progress');
    c = post(c, 'alice', 'h1', { propose: 'use 2.2 instead' });
    expect(c.proposal?.agreed).toEqual(['alice']);
    c = post(c, 'bob', 'h2', { agree: true });
    c = post(c, 'carol', 'h3', { agree: true });
    expect(c.status).toBe('converged');
    expect(c.next).toEqual([]);
    expect(c.turns.at(-1)?.next).toEqual([]);
    expect(c.decision).toMatchObject({ text: 'use 2.2 instead', turn: 4, agreedBy: ['alice', 'bob', 'carol'] });
    expect(sessionsToWake(c)).toEqual([]);
    expectCode(
      () => decidePost(relay.state, { actor: as('alice'), conversation: c.id, expectedTurn: 7, key: key(), body: 'x', at: relay.now() }),
      'CONVERSATION_CONVERGED',
    );
    relay.commit(decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'next', next: ['bob'] }, at: relay.now() }));
    expect(relay.state.conversations.get(c.id)?.status).toBe('in-progress');
  });
  it('a proposal without text proposes the body; agreeing needs a proposal; not both at once', () => {
    let c = open();
    expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h2'), conversation: c.id, expectedTurn: 2, key: key(), body: 'x', agree: true, at: relay.now() }),
      'NO_PROPOSAL',
    );
    expectCode(
      () =>
        decidePost(relay.state, {
          actor: as('bob', 'h2'),
          conversation: c.id,
          expectedTurn: 2,
          key: key(),
          body: 'x',
          agree: true,
          propose: 'y',
          at: relay.now(),
        }),
      'INVALID_REQUEST',
    );
    c = post(c, 'bob', 'h2', { body: 'Ship it on Friday.', propose: '' });
    expect(c.proposal?.text).toBe('Ship it on Friday.');
    c = post(c, 'alice', 'h1', { agree: true });
    expect(c.status).toBe('converged');
    expect(c.turns[2]?.agrees).toBe(2);
  });
  it('convergence wins over the limit on the last turn', () => {
    let c = open({ maxTurns: 3 });
    c = post(c, 'bob', 'h2', { propose: 'p' });
    c = post(c, 'alice', 'h1', { agree: true });
    expect(c.status).toBe('converged');
  });
});

describe('moderate and close', () => {
  it('only the moderator or the admin may moderate or close', () => {
    const c = open({ with: ['bob', 'carol'], moderator: 'mod' });
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'extend', by: 1 }, at: relay.now() }),
      'NOT_MODERATOR',
    );
    expectCode(() => decideClose(relay.state, { actor: as('bob', 'h2'), conversation: c.id, resolution: 'done', at: relay.now() }), 'NOT_MODERATOR');
    expectCode(
      () => decideModerate(relay.state, { actor: as('mod', 'h2'), conversation: c.id, action: { type: 'extend', by: 1 }, at: relay.now() }),
      'SESSION_NOT_OWNED',
    );
    relay.commit(decideModerate(relay.state, { actor: admin, conversation: c.id, action: { type: 'extend', by: 5 }, at: relay.now() }));
    expect(relay.state.conversations.get(c.id)?.notes.at(-1)).toMatchObject({ by: 'admin', afterTurn: 1 });
  });
  it('sets next, adds and removes participants', () => {
    let c = open({ with: ['bob'] });
    relay.commit(decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'add', session: 'carol' }, at: relay.now() }));
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'add', session: 'carol' }, at: relay.now() }),
      'ALREADY_PARTICIPANT',
    );
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'add', session: 'ghost' }, at: relay.now() }),
      'SESSION_NOT_FOUND',
    );
    relay.commit(decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'next', next: ['carol'] }, at: relay.now() }));
    c = relay.state.conversations.get(c.id) as Conversation;
    expect(c.participants).toEqual(['alice', 'bob', 'carol']);
    expect(c.next).toEqual(['carol']);
    relay.commit(decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'remove', session: 'carol' }, at: relay.now() }));
    c = relay.state.conversations.get(c.id) as Conversation;
    expect(c.participants).toEqual(['alice', 'bob']);
    expect(c.next).toEqual(['alice']);
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'remove', session: 'carol' }, at: relay.now() }),
      'NOT_A_PARTICIPANT',
    );
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'remove', session: 'bob' }, at: relay.now() }),
      'TOO_FEW_PARTICIPANTS',
    );
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'next', next: [] }, at: relay.now() }),
      'INVALID_REQUEST',
    );
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'extend', by: 0 }, at: relay.now() }),
      'INVALID_REQUEST',
    );
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'extend', by: 5000 }, at: relay.now() }),
      'INVALID_REQUEST',
    );
    expect(c.notes.map((n) => n.text)).toEqual(['Added carol to the participants.', 'Handed the floor to carol.', 'Removed carol from the participants.']);
  });
  it('removing the last holdout converges a proposal', () => {
    let c = open({ with: ['bob', 'carol'] });
    c = post(c, 'bob', 'h2', { propose: 'p' });
    c = post(c, 'carol', 'h3', { agree: true });
    relay.commit(decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'remove', session: 'alice' }, at: relay.now() }));
    c = relay.state.conversations.get(c.id) as Conversation;
    expect(c.status).toBe('converged');
    expect(c.decision?.agreedBy).toEqual(['bob', 'carol']);
  });
  it('close records the resolution; closed conversations accept nothing and wake nobody', () => {
    const c = open();
    expectCode(() => decideClose(relay.state, { actor: as('alice'), conversation: c.id, resolution: ' ', at: relay.now() }), 'EMPTY_BODY');
    expectCode(() => decideClose(relay.state, { actor: as('alice'), conversation: c.id, resolution: 'x'.repeat(5000), at: relay.now() }), 'BODY_TOO_LARGE');
    relay.commit(decideClose(relay.state, { actor: as('alice'), conversation: c.id, resolution: 'Agreed on 2.1.2', at: relay.now() }));
    const closed = relay.state.conversations.get(c.id) as Conversation;
    expect(closed.status).toBe('closed');
    expect(closed.resolution).toMatchObject({ text: 'Agreed on 2.1.2', by: 'alice' });
    expect(sessionsToWake(closed)).toEqual([]);
    expectCode(
      () => decidePost(relay.state, { actor: as('bob', 'h2'), conversation: c.id, expectedTurn: 2, key: key(), body: 'x', at: relay.now() }),
      'CONVERSATION_CLOSED',
    );
    expectCode(
      () => decideModerate(relay.state, { actor: as('alice'), conversation: c.id, action: { type: 'extend', by: 1 }, at: relay.now() }),
      'CONVERSATION_CLOSED',
    );
    expectCode(() => decideClose(relay.state, { actor: as('alice'), conversation: c.id, resolution: 'again', at: relay.now() }), 'CONVERSATION_CLOSED');
  });
});

describe('rotation', () => {
  it('goes round the participants and returns the floor after a moderator aside', () => {
    expect(rotationNext({ participants: ['a', 'b', 'c'], next: [] }, 'c')).toEqual(['a']);
    expect(rotationNext({ participants: ['a', 'b', 'c'], next: ['b'] }, 'mod')).toEqual(['b']);
    expect(rotationNext({ participants: ['a', 'b'], next: [] }, 'mod')).toEqual(['a']);
    const t = (n: number, author: string, next: string[]) => ({ n, author, host: 'h', at: '', body: '', next });
    expect(rotationNext({ participants: ['a', 'b'], next: ['mod'], turns: [t(1, 'a', ['b']), t(2, 'mod', ['a'])] }, 'mod')).toEqual(['b']);
  });
});
