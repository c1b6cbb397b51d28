import { describe, expect, it } from 'vitest';
import { decideModerate, decideOpen, decidePost } from './rules/index.js';
import { MemoryRelay } from './test-support.js';
import type { Conversation } from './types.js';
import { unseenBy } from './unseen.js';

const actor = (session: string, host = 'h1') => ({ kind: 'session' as const, session, host });

/** a opens with b and c; then the turns are posted by the given authors, in order. */
function talk(authors: string[], extra: (r: MemoryRelay, n: number) => void = () => {}): Conversation {
  const r = new MemoryRelay();
  for (const [name, host] of [
    ['a', 'h1'],
    ['b', 'h2'],
    ['c', 'h2'],
  ] as const)
    r.register(name, host);
  r.commit(decideOpen(r.state, { actor: actor('a'), id: 'talk-1', topic: 't', with: ['b', 'c'], body: 'turn 1', key: 'k1', at: r.now() }));
  authors.forEach((author, i) => {
    const n = i + 2;
    extra(r, n);
    r.commit(decideModerate(r.state, { actor: actor('a'), conversation: 'talk-1', action: { type: 'next', next: [author] }, at: r.now() }));
    r.commit(
      decidePost(r.state, {
        actor: actor(author, author === 'a' ? 'h1' : 'h2'),
        conversation: 'talk-1',
        expectedTurn: n,
        key: `k${n}`,
        body: `turn ${n}`,
        at: r.now(),
      }),
    );
  });
  return r.state.conversations.get('talk-1') as Conversation;
}

const bodies = (u: { turns: Array<{ body: string }> }) => u.turns.map((t) => t.body);

describe('what a session has not seen', () => {
  it('is every turn for a session that has not spoken yet', () => {
    const c = talk(['b', 'a']);
    expect(unseenBy(c, 'c')).toMatchObject({ since: 0 });
    expect(bodies(unseenBy(c, 'c'))).toEqual(['turn 1', 'turn 2', 'turn 3']);
  });

  it('is nothing when the session spoke last, one turn or many after its own last one', () => {
    expect(bodies(unseenBy(talk(['b', 'a']), 'a'))).toEqual([]);
    expect(bodies(unseenBy(talk(['b']), 'a'))).toEqual(['turn 2']);
    const many = unseenBy(talk(['b', 'c', 'b', 'c']), 'a');
    expect(many.since).toBe(1);
    expect(bodies(many)).toEqual(['turn 2', 'turn 3', 'turn 4', 'turn 5']);
  });

  it('counts from the session own last turn, not its first', () => {
    const u = unseenBy(talk(['b', 'a', 'c', 'b']), 'a');
    expect(u.since).toBe(3);
    expect(bodies(u)).toEqual(['turn 4', 'turn 5']);
  });

  it('keeps the moderation made after the session own turn (a hand-off), and none from before', () => {
    const c = talk(['b', 'c']);
    const u = unseenBy(c, 'b');
    expect(u.since).toBe(2);
    // Each turn was handed by the moderator just before it: the hand-off to c (after turn 2) is new to b.
    expect(u.notes.map((n) => n.afterTurn)).toEqual([2]);
    expect(u.notes[0]?.text).toMatch(/c/);
    expect(unseenBy(c, 'c').notes).toEqual([]);
  });

  it('shows the proposal as part of the conversation, whoever made it', () => {
    const r = new MemoryRelay();
    r.register('a', 'h1');
    r.register('b', 'h2');
    r.commit(decideOpen(r.state, { actor: actor('a'), id: 'talk-2', topic: 't', with: ['b'], body: 'go', key: 'k1', at: r.now() }));
    r.commit(
      decidePost(r.state, {
        actor: actor('b', 'h2'),
        conversation: 'talk-2',
        expectedTurn: 2,
        key: 'k2',
        body: 'ship friday',
        propose: 'Ship on Friday',
        at: r.now(),
      }),
    );
    const u = unseenBy(r.state.conversations.get('talk-2') as Conversation, 'a');
    expect(u.turns).toHaveLength(1);
    expect(u.turns[0]).toMatchObject({ proposes: 'Ship on Friday' });
  });
});
