import { describe, expect, it } from 'vitest';
import { decideClose, decideModerate, decideOpen, decidePost, type Conversation, type Receipt } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import { pastForGood, stillWanted, wakeForUnanswered, wakeKey, wakeLine, wakesFor } from './plan.js';

const here = (s: string) => s === 'a' || s === 'm';
const actor = (session: string, host = 'h1') => ({ kind: 'session' as const, session, host });

function talk(maxTurns = 20): { r: MemoryRelay; c: () => Conversation } {
  const r = new MemoryRelay();
  r.register('a', 'h1');
  r.register('b', 'h2');
  r.register('m', 'h1');
  r.commit(decideOpen(r.state, { actor: actor('m'), id: 'talk-1', topic: 't', with: ['a', 'b'], maxTurns, body: 'go', key: 'k1', next: ['a'], at: r.now() }));
  return { r, c: () => r.state.conversations.get('talk-1')! };
}

describe('wake planning', () => {
  it('wakes local sessions named in next, for the turn they are to write', () => {
    const { c } = talk();
    expect(wakesFor(c(), here)).toEqual([{ kind: 'turn', conversation: 'talk-1', turn: 2, session: 'a' }]);
    expect(wakesFor(c(), () => false)).toEqual([]);
    expect(wakeKey({ kind: 'turn', conversation: 'talk-1', turn: 2, session: 'a' })).toBe('turn:talk-1:2:a');
  });

  it('wakes only the moderator at the limit, and nobody once closed or converged', () => {
    const { r, c } = talk(2);
    r.commit(decidePost(r.state, { actor: actor('a'), conversation: 'talk-1', expectedTurn: 2, key: 'k2', body: 'x', at: r.now() }));
    expect(c().status).toBe('at-limit');
    expect(wakesFor(c(), here)).toEqual([{ kind: 'limit', conversation: 'talk-1', turn: 3, session: 'm' }]);
    expect(wakeLine(wakesFor(c(), here)[0]!, c(), '/copies/talk-1.md', 1)).toMatch(/reached its limit of 2 turns; you moderate it/);
    r.commit(decideClose(r.state, { actor: actor('m'), conversation: 'talk-1', resolution: 'done', at: r.now() }));
    expect(wakesFor(c(), here)).toEqual([]);

    const other = talk();
    other.r.commit(
      decidePost(other.r.state, { actor: actor('a'), conversation: 'talk-1', expectedTurn: 2, key: 'p', body: 'x', propose: 'ship it', at: other.r.now() }),
    );
    other.r.commit(
      decidePost(other.r.state, { actor: actor('b', 'h2'), conversation: 'talk-1', expectedTurn: 3, key: 'q', body: 'ok', agree: true, at: other.r.now() }),
    );
    other.r.commit(
      decidePost(other.r.state, { actor: actor('m'), conversation: 'talk-1', expectedTurn: 4, key: 'r', body: 'ok', agree: true, at: other.r.now() }),
    );
    expect(other.c().status).toBe('converged');
    expect(wakesFor(other.c(), () => true)).toEqual([]);
  });

  it('drops a planned wake-up once the conversation moved on', () => {
    const { r, c } = talk();
    const spec = wakesFor(c(), here)[0]!;
    expect(stillWanted(spec, c(), here)).toBe(true);
    expect(pastForGood(spec, c())).toBe(false);
    r.commit(decideModerate(r.state, { actor: actor('m'), conversation: 'talk-1', action: { type: 'next', next: ['b'] }, at: r.now() }));
    expect(stillWanted(spec, c(), here)).toBe(false);
    r.commit(decidePost(r.state, { actor: actor('b', 'h2'), conversation: 'talk-1', expectedTurn: 2, key: 'k2', body: 'x', at: r.now() }));
    expect(pastForGood(spec, c())).toBe(true);
  });

  it('tells the moderator about a silent participant once, while it still holds the floor', () => {
    const { r, c } = talk();
    const silent: Receipt = { session: 'a', host: 'h1', conversation: 'talk-1', turn: 2, status: 'failed', reason: 'unanswered', attempt: 3 };
    const spec = wakeForUnanswered(silent, c(), here);
    expect(spec).toEqual({ kind: 'unanswered', conversation: 'talk-1', turn: 2, session: 'm', silent: 'a' });
    expect(wakeLine(spec!, c(), '/c/talk-1.md', 1)).toBe(
      'crosstalk: a has not answered in talk-1; you moderate it. New turns: crosstalk read talk-1 --new --as m; whole conversation: /c/talk-1.md. Hand the floor on: crosstalk moderate talk-1 --next <session> --as m',
    );
    // A wake-up that failed (its coding agent is gone) tells the moderator too; a session that polls does not.
    expect(wakeForUnanswered({ ...silent, reason: 'bare-shell: the pane runs a shell' }, c(), here)).toEqual(spec);
    expect(wakeForUnanswered({ ...silent, reason: 'pane-gone' }, c(), here)).toEqual(spec);
    expect(wakeForUnanswered({ ...silent, reason: 'no-wake-target' }, c(), here)).toBeNull();
    // A wake-up that was deferred until it gave up (a dialog, a draft) tells the moderator too.
    expect(wakeForUnanswered({ ...silent, reason: 'gave-up: deferred 10 times, last: waiting-input' }, c(), here)).toEqual(spec);
    expect(wakeForUnanswered({ ...silent, reason: 'gave-upx' }, c(), here)).toBeNull();
    expect(wakeForUnanswered(silent, c(), (s) => s === 'a')).toBeNull();
    r.commit(decidePost(r.state, { actor: actor('a'), conversation: 'talk-1', expectedTurn: 2, key: 'k2', body: 'late', at: r.now() }));
    expect(wakeForUnanswered(silent, c(), here)).toBeNull();
  });
});
