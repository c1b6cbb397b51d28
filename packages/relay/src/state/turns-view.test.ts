// The turns the relay's state gives core's rules: a view that builds a turn only when it is read
// behaves as the array of every turn did (same turns, same JSON, every array reading), refuses
// changes, and lets the rules decide a post in a long conversation without building its turns or
// reading a body back from the log.
import { decideModerate, decideOpen, decidePost, type Conversation, type Outcome, type PendingEvent, type RelayEvent, type Turn } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { emptyLedgerData, foldEvent, type LedgerData } from './fold.js';
import { turnsView } from './turns-view.js';

const turn = (i: number): Turn => ({ n: i + 1, author: i % 2 ? 'bob' : 'alice', host: 'h', at: `t${i}`, body: `body ${i}`, next: [i % 2 ? 'alice' : 'bob'] });

describe('turnsView', () => {
  it('reads as the array of its turns, building each turn once and only when it is read', () => {
    const built: number[] = [];
    const view = turnsView(5, (i) => {
      built.push(i);
      return turn(i);
    });
    const plain = Array.from({ length: 5 }, (_, i) => turn(i));
    expect(view.length).toBe(5);
    expect(built).toEqual([]);
    expect(view[4]).toEqual(plain[4]);
    expect(view[view.length - 1]).toBe(view[4]);
    expect(built).toEqual([4]);
    expect(view[5]).toBeUndefined();
    expect(view[-1 as number]).toBeUndefined();
    expect(Array.isArray(view)).toBe(true);
    expect(JSON.stringify(view)).toBe(JSON.stringify(plain));
    expect([...view]).toEqual(plain);
    expect(view.map((t) => t.n)).toEqual([1, 2, 3, 4, 5]);
    expect(view.filter((t) => t.author === 'bob').map((t) => t.n)).toEqual([2, 4]);
    expect([...view].reverse().find((t) => t.author === 'alice')?.n).toBe(5);
    expect(Object.keys(view)).toEqual(['0', '1', '2', '3', '4']);
    expect(2 in view).toBe(true);
    expect(5 in view).toBe(false);
    expect(view.at(-1)).toBe(view[4]);
    expect(view.slice(1, 3)).toEqual(plain.slice(1, 3));
    // Each turn was built once, however often it was read.
    expect([...built].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses to be changed', () => {
    const view = turnsView(2, turn);
    expect(() => view.push(turn(2))).toThrow(TypeError);
    expect(() => {
      view[0] = turn(9);
    }).toThrow(TypeError);
    expect(() => delete view[1]).toThrow(TypeError);
    expect(() => view.reverse()).toThrow(TypeError);
    expect(view.map((t) => t.body)).toEqual(['body 0', 'body 1']);
  });

  it('is empty when the conversation has no turns', () => {
    const view = turnsView(0, () => {
      throw new Error('no turn to build');
    });
    expect(view.length).toBe(0);
    expect([...view]).toEqual([]);
    expect(JSON.stringify(view)).toBe('[]');
  });
});

/** A relay state folded from events the rules decide, with the log's records kept in memory. */
function foldedRelay() {
  const records = new Map<number, string>();
  let loads = 0;
  const data: LedgerData = emptyLedgerData({
    record: (seq) => {
      loads++;
      return records.get(seq) as string;
    },
  });
  let seq = 0;
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const at = () => new Date((clock += 1000)).toISOString();
  const commit = (pending: PendingEvent[]): RelayEvent[] =>
    pending.map((p) => {
      const event = { seq: ++seq, ...p } as RelayEvent;
      records.set(event.seq, JSON.stringify(event));
      foldEvent(data, event);
      return event;
    });
  const events = (outcome: Outcome): PendingEvent[] => {
    if (outcome.kind !== 'events') throw new Error('expected events');
    return outcome.events;
  };
  for (const name of ['alice', 'bob', 'mod'])
    commit([{ type: 'session.registered', at: at(), session: { name, host: 'h', kind: 'other', wake: { type: 'none' }, joinedAt: at() } }]);
  const conversation = (): Conversation => data.state.conversations.get('long-talk') as Conversation;
  return { data, commit, events, at, conversation, loads: () => loads };
}

describe('the conversations the rules decide against', () => {
  it('give the same turns as the log holds, and decide a post after hundreds of turns without reading a body', () => {
    const r = foldedRelay();
    const [opened] = r.commit(
      r.events(
        decideOpen(r.data.state, {
          actor: { kind: 'session', session: 'alice', host: 'h' },
          id: 'long-talk',
          topic: 'a long one',
          with: ['bob'],
          moderator: 'mod',
          maxTurns: 997,
          body: 'opening',
          key: 'k0',
          at: r.at(),
        }),
      ),
    );
    if (opened?.type !== 'conversation.opened') throw new Error('not opened');
    const posted: Turn[] = [...opened.conversation.turns];
    for (let n = 2; n <= 995; n++) {
      const author = n % 2 ? 'alice' : 'bob';
      const [event] = r.commit(
        r.events(
          decidePost(r.data.state, {
            actor: { kind: 'session', session: author, host: 'h' },
            conversation: 'long-talk',
            expectedTurn: n,
            key: `k${n}`,
            body: `turn ${n} by ${author}`,
            at: r.at(),
          }),
        ),
      );
      if (event?.type !== 'turn.posted') throw new Error('not posted');
      posted.push(event.turn);
    }
    // Deciding those 994 posts read no body back from the log.
    expect(r.loads()).toBe(0);
    const c = r.conversation();
    expect(c.turns.length).toBe(995);
    expect(c.turns[994]?.author).toBe('alice');
    expect(c.turns[994]?.at).toBe(posted[994]?.at);
    expect(r.loads()).toBe(0);
    expect(JSON.parse(JSON.stringify(c.turns))).toEqual(posted);

    // The moderator speaks twice, naming itself: the rotation looks back past its turns for the last participant's.
    const mod = { kind: 'session', session: 'mod', host: 'h' } as const;
    const before = r.loads();
    r.commit(
      r.events(
        decidePost(r.data.state, { actor: mod, conversation: 'long-talk', expectedTurn: 996, key: 'm1', body: 'over to me', next: ['mod'], at: r.at() }),
      ),
    );
    const [second] = r.commit(
      r.events(decidePost(r.data.state, { actor: mod, conversation: 'long-talk', expectedTurn: 997, key: 'm2', body: 'carry on', at: r.at() })),
    );
    expect(second?.type === 'turn.posted' && [second.turn.next, second.status]).toEqual([['bob'], 'at-limit']);
    const [extended] = r.commit(
      r.events(decideModerate(r.data.state, { actor: mod, conversation: 'long-talk', action: { type: 'extend', by: 3 }, at: r.at() })),
    );
    expect(extended?.type === 'conversation.moderated' && [extended.status, extended.maxTurns]).toEqual(['in-progress', 1000]);
    expect(r.loads()).toBe(before);
  });
});
