// What the rules read of a conversation's turns: the count and a turn or two from the end, never
// every turn, so a relay that builds turns only when they are read decides a post in the same
// time whatever the conversation holds.
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryRelay } from '../test-support.js';
import type { Actor, Conversation } from '../types.js';
import { decideModerate, decideOpen, decidePost } from './index.js';

const as = (session: string): Actor & { kind: 'session' } => ({ kind: 'session', session, host: 'h1' });

let relay: MemoryRelay;
let keys = 0;

/** Replaces the conversation's turns with the same turns that note which indexes are read, and whether they are walked. */
function watchReads(id: string): { indexes: Set<number>; walked: () => boolean } {
  const c = relay.state.conversations.get(id) as Conversation;
  const indexes = new Set<number>();
  let walked = false;
  c.turns = new Proxy(c.turns, {
    get(target, key, receiver) {
      if (key === Symbol.iterator) walked = true;
      if (typeof key === 'string' && /^\d+$/.test(key)) indexes.add(Number(key));
      return Reflect.get(target, key, receiver);
    },
  });
  return { indexes, walked: () => walked };
}

function post(author: string, extra: { next?: string[] } = {}): void {
  const c = relay.state.conversations.get('long') as Conversation;
  relay.commit(
    decidePost(relay.state, {
      actor: as(author),
      conversation: 'long',
      expectedTurn: c.turns.length + 1,
      key: `k${++keys}`,
      body: `by ${author}`,
      at: relay.now(),
      ...extra,
    }),
  );
}

beforeEach(() => {
  relay = new MemoryRelay();
  for (const name of ['alice', 'bob', 'mod']) relay.register(name, 'h1');
  relay.commit(
    decideOpen(relay.state, {
      actor: as('alice'),
      id: 'long',
      topic: 'long',
      with: ['bob'],
      moderator: 'mod',
      maxTurns: 903,
      body: 'opening',
      key: 'open',
      at: relay.now(),
    }),
  );
  for (let n = 2; n <= 900; n++) post(n % 2 ? 'alice' : 'bob');
});

describe('the turns a rule reads', () => {
  it('a participant posting reads none of the 900 turns', () => {
    const reads = watchReads('long');
    post('alice');
    expect([...reads.indexes]).toEqual([]);
    expect(reads.walked()).toBe(false);
  });

  it('the moderator speaking after itself reads back only to the last participant turn', () => {
    post('mod', { next: ['mod'] });
    const reads = watchReads('long');
    post('mod');
    expect([...reads.indexes].sort()).toEqual([899, 900]);
    expect(reads.walked()).toBe(false);
    const last = (relay.state.conversations.get('long') as Conversation).turns[901];
    // Turn 900 was bob's, handing the floor to alice.
    expect(last?.next).toEqual(['alice']);
  });

  it('extending a conversation at its limit reads its last turn only', () => {
    post('mod');
    post('mod');
    post('mod');
    expect((relay.state.conversations.get('long') as Conversation).status).toBe('at-limit');
    const reads = watchReads('long');
    relay.commit(decideModerate(relay.state, { actor: as('mod'), conversation: 'long', action: { type: 'extend', by: 5 }, at: relay.now() }));
    expect([...reads.indexes]).toEqual([902]);
    expect(reads.walked()).toBe(false);
  });
});
