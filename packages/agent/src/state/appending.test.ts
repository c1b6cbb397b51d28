import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEvent, decideClose, decideModerate, decideOpen, decidePost, emptyState, renderConversation, type RelayEvent } from '@crosstalk/core';
import { MemoryRelay, seeded } from '@crosstalk/core/test-support';
import { Replica } from './replica.js';
import { StateStore } from './store.js';

const quiet = { info: () => {}, warn: () => {} };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-appending-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const session = (name: string, host: string) => ({ kind: 'session' as const, session: name, host });

/** A conversation between a and b (a moderates) with turns, notes, limit changes, proposals, a close. */
function talk(seed: number): RelayEvent[] {
  const random = seeded(seed);
  const r = new MemoryRelay();
  r.register('a', 'h1');
  r.register('b', 'h2');
  r.commit(decideOpen(r.state, { actor: session('a', 'h1'), id: 'talk-1', topic: 'a talk', with: ['b'], body: 'one', key: 'k1', at: r.now() }));
  /** A step the rules refuse (a `next` that changes nothing, say) is left out. */
  const step = (decide: () => Parameters<MemoryRelay['commit']>[0]) => {
    try {
      r.commit(decide());
    } catch {}
  };
  for (let i = 0; i < 40; i++) {
    const c = r.state.conversations.get('talk-1')!;
    if (c.status === 'converged' || c.status === 'closed') break;
    const roll = random();
    if (roll < 0.1) {
      step(() => decideModerate(r.state, { actor: session('a', 'h1'), conversation: 'talk-1', action: { type: 'extend', by: 2 }, at: r.now() }));
      continue;
    }
    if (roll < 0.15) {
      step(() =>
        decideModerate(r.state, {
          actor: session('a', 'h1'),
          conversation: 'talk-1',
          action: { type: 'next', next: [c.next[0] === 'a' ? 'b' : 'a'] },
          at: r.now(),
        }),
      );
      continue;
    }
    const who = c.next[0] ?? 'a';
    const body = roll < 0.3 ? 'with ``` fences\r\nand \u001b escapes' : `turn ${c.turns.length + 1} ${'x'.repeat(Math.floor(random() * 200))}`;
    const extra = roll > 0.9 ? { propose: `decide ${i}` } : roll > 0.8 && c.proposal ? { agree: true } : {};
    step(() =>
      decidePost(r.state, {
        actor: session(who, who === 'a' ? 'h1' : 'h2'),
        conversation: 'talk-1',
        expectedTurn: c.turns.length + 1,
        key: `k-${i}`,
        body,
        ...extra,
        at: r.now(),
      }),
    );
  }
  step(() => decideClose(r.state, { actor: session('a', 'h1'), conversation: 'talk-1', resolution: 'done', at: r.now() }));
  const c = r.state.conversations.get('talk-1')!;
  // The log must hold what the writes treat apart: notes, a decision or proposal, the close.
  if (c.notes.length === 0 || c.resolution === undefined || c.turns.length < 5)
    throw new Error(`seed ${seed} makes too plain a talk: ${JSON.stringify({ notes: c.notes.length, status: c.status, turns: c.turns.length })}`);
  return r.log;
}

function expected(log: RelayEvent[]) {
  const state = emptyState();
  for (const e of log) applyEvent(state, e);
  return state.conversations.get('talk-1');
}

describe('writes that only append', () => {
  it('give the copy and the state file the same bytes as writing them whole, event after event', async () => {
    for (const seed of [1, 2, 3]) {
      const log = talk(seed);
      const store = new StateStore(join(dir, `state-${seed}`));
      const copies = join(dir, `copies-${seed}`);
      const replica = await Replica.open({ store, copiesDir: copies, relayId: 'relay-1', log: quiet });
      await replica.adoptEpoch('e1', false);
      for (let i = 0; i < log.length; i += 1 + (i % 3)) {
        const upTo = log.slice(0, i + 1 + (i % 3));
        await replica.apply(upTo);
        const want = expected(upTo);
        if (!want) continue;
        expect(await readFile(join(copies, 'talk-1.md'), 'utf8'), `seed ${seed}, event ${upTo.length}`).toBe(renderConversation(want));
        expect(await store.readConversation('talk-1')).toEqual(want);
        expect(await replica.readConversation('talk-1')).toEqual(want);
      }
    }
  });

  it('write the whole copy again when someone changed it since', async () => {
    const log = talk(4).slice(0, 12);
    const store = new StateStore(join(dir, 'state'));
    const copies = join(dir, 'copies');
    const replica = await Replica.open({ store, copiesDir: copies, relayId: 'relay-1', log: quiet });
    await replica.adoptEpoch('e1', false);
    await replica.apply(log.slice(0, 8));
    await writeFile(join(copies, 'talk-1.md'), 'edited by hand');
    await replica.apply(log);
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(renderConversation(expected(log)!));
  });
});
