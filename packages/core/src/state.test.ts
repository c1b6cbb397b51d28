import { describe, expect, it } from 'vitest';
import { renderConversation } from './render.js';
import { decideOpen, decidePost } from './rules/index.js';
import { applyEvent, emptyState, EventGapError } from './state.js';
import { MemoryRelay } from './test-support.js';
import type { RelayEvent } from './types.js';

function sample(): RelayEvent[] {
  const r = new MemoryRelay();
  r.register('a', 'h1');
  r.register('b', 'h2');
  r.commit(
    decideOpen(r.state, { actor: { kind: 'session', session: 'a', host: 'h1' }, id: 'c-1', topic: 't', with: ['b'], body: 'one', key: 'k1', at: r.now() }),
  );
  for (let n = 2; n <= 6; n++) {
    const who = n % 2 === 0 ? { session: 'b', host: 'h2' } : { session: 'a', host: 'h1' };
    r.commit(decidePost(r.state, { actor: { kind: 'session', ...who }, conversation: 'c-1', expectedTurn: n, key: `k${n}`, body: `turn ${n}`, at: r.now() }));
  }
  return r.log;
}

describe('applyEvent', () => {
  it('is idempotent: replaying any prefix again changes nothing', () => {
    const log = sample();
    const once = emptyState();
    for (const e of log) applyEvent(once, e);
    const twice = emptyState();
    for (const e of log.slice(0, 4)) applyEvent(twice, e);
    for (const e of log) applyEvent(twice, e);
    expect(renderConversation(twice.conversations.get('c-1')!)).toBe(renderConversation(once.conversations.get('c-1')!));
    expect(twice.seq).toBe(once.seq);
  });
  it('skips a turn a copy already holds even if the global cursor is behind', () => {
    const log = sample();
    const s = emptyState();
    for (const e of log) applyEvent(s, e);
    s.seq = 0;
    for (const e of log) applyEvent(s, e);
    expect(s.conversations.get('c-1')!.turns.map((t) => t.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('throws EventGapError on a missing turn and leaves the state untouched', () => {
    const log = sample();
    const s = emptyState();
    for (const e of log.slice(0, 3)) applyEvent(s, e);
    const before = s.seq;
    const later = log[4]!;
    expect(() => applyEvent(s, later)).toThrow(EventGapError);
    expect(s.seq).toBe(before);
    expect(s.conversations.get('c-1')!.turns).toHaveLength(1);
  });
});
