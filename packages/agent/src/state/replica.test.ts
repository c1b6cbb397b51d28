import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEvent, decideOpen, decidePost, emptyState, renderConversation, type RelayEvent } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import { copySeq } from '../copies/copies.js';
import { BodyCache } from './bodies.js';
import { Replica } from './replica.js';
import { StateStore } from './store.js';

const quiet = { info: () => {}, warn: () => {} };
let dir: string;
let copies: string;
let stateDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-replica-'));
  copies = join(dir, 'conversations');
  stateDir = join(dir, 'state');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A small log: two sessions, one conversation with `turns` turns. */
function history(turns: number): { relay: MemoryRelay; log: RelayEvent[] } {
  const r = new MemoryRelay();
  r.register('a', 'h1');
  r.register('b', 'h2');
  r.commit(
    decideOpen(r.state, {
      actor: { kind: 'session', session: 'a', host: 'h1' },
      id: 'talk-1',
      topic: 'a talk',
      with: ['b'],
      body: 'one',
      key: 'k1',
      at: r.now(),
    }),
  );
  for (let n = 2; n <= turns; n++) {
    const who = n % 2 === 0 ? { session: 'b', host: 'h2' } : { session: 'a', host: 'h1' };
    r.commit(
      decidePost(r.state, { actor: { kind: 'session', ...who }, conversation: 'talk-1', expectedTurn: n, key: `k${n}`, body: `turn ${n}`, at: r.now() }),
    );
  }
  return { relay: r, log: r.log };
}

const open = (hooks = {}) => Replica.open({ store: new StateStore(stateDir), copiesDir: copies, relayId: 'relay-1', hooks, log: quiet });

function expectedCopy(log: RelayEvent[]): string {
  const state = emptyState();
  for (const e of log) applyEvent(state, e);
  return renderConversation(state.conversations.get('talk-1')!);
}

describe('Replica', () => {
  it('writes the copy of each changed conversation, then the cursor when asked', async () => {
    const { log } = history(4);
    const order: string[] = [];
    const replica = await open({
      afterCopyWritten: ({ conversation, seq }: { conversation: string; seq: number }) => void order.push(`copy ${conversation}@${seq}`),
      afterCursorPersisted: ({ seq }: { seq: number }) => void order.push(`cursor ${seq}`),
    });
    await replica.adoptEpoch('e1', false);
    const outcome = await replica.apply(log);
    expect(outcome).toMatchObject({ applied: log.length, gap: null, changed: ['talk-1'], sessionsChanged: true });
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(log));
    expect(order).toEqual([`copy talk-1@${log.length}`]);
    expect(await replica.persistCursor()).toBe(true);
    expect(order).toEqual([`copy talk-1@${log.length}`, `cursor ${log.length}`]);
    expect(JSON.parse(await readFile(join(stateDir, 'cursor.json'), 'utf8'))).toEqual({ version: 1, relayId: 'relay-1', epoch: 'e1', seq: log.length });
  });

  it('skips what it already holds and stops at a hole in the seq or a missing predecessor', async () => {
    const { log } = history(6);
    const replica = await open();
    await replica.adoptEpoch('e1', false);
    await replica.apply(log.slice(0, 4));
    // A duplicate prefix, then a jump over event 6.
    const skipped = await replica.apply([...log.slice(0, 5), ...log.slice(6)]);
    expect(skipped.gap).toMatchObject({ after: 5, seq: 7 });
    expect(replica.seq).toBe(5);
    // The conversation rule catches what the seq cannot: turn 6 (relabelled seq 6) after turn 3.
    const lying = { ...log[7]!, seq: 6 } as RelayEvent;
    const gap = await replica.apply([lying]);
    expect(gap.gap?.detail).toMatch(/turn 6 arrived after turn 3/);
    expect(replica.seq).toBe(5);
    const healed = await replica.apply(log.slice(5));
    expect(healed.gap).toBeNull();
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(log));
  });

  it('resumes from disk: state newer than the cursor is replayed without duplicating a turn', async () => {
    const { log } = history(6);
    const first = await open();
    await first.adoptEpoch('e1', false);
    await first.apply(log.slice(0, 5));
    await first.persistCursor();
    // Copies and state written for more events, cursor not: as after a crash.
    await first.apply(log.slice(5));
    const again = await open();
    expect(again.seq).toBe(5);
    expect(again.currentEpoch).toBe('e1');
    const outcome = await again.apply(log);
    expect(outcome.gap).toBeNull();
    const copy = await readFile(join(copies, 'talk-1.md'), 'utf8');
    expect(copy).toBe(expectedCopy(log));
    for (let n = 1; n <= 6; n++) expect(copy.split(`Turn ${n}/20`).length - 1).toBe(1);
  });

  it('rewrites missing or damaged copies at start', async () => {
    const { log } = history(3);
    const first = await open();
    await first.adoptEpoch('e1', false);
    await first.apply(log);
    await first.persistCursor();
    await writeFile(join(copies, 'talk-1.md'), 'garbage');
    await open();
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(log));
    await rm(join(copies, 'talk-1.md'));
    await open();
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(log));
  });

  it('keeps a copy that got ahead of its state in a crash, until the replay catches up', async () => {
    const { log } = history(5);
    const first = await open();
    await first.adoptEpoch('e1', false);
    await first.apply(log.slice(0, 5));
    await first.persistCursor();
    // The copy of a later state reached the disk, its state file did not.
    await writeFile(join(copies, 'talk-1.md'), expectedCopy(log));
    expect(copySeq(expectedCopy(log))).toBe(log.length);
    const again = await open();
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(log));
    await again.apply(log);
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(log));
    // A copy whose header is damaged is not trusted to be ahead.
    await writeFile(join(copies, 'talk-1.md'), `x${expectedCopy(log)}`);
    await open();
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(log));
  });

  it('drops everything on a new epoch, and damaged or foreign state at start', async () => {
    const { log } = history(3);
    const first = await open();
    await first.adoptEpoch('e1', false);
    await first.apply(log);
    await first.persistCursor();
    await first.adoptEpoch('e2', true);
    expect(first.seq).toBe(0);
    expect(first.state.conversations.size).toBe(0);
    expect(await readdir(join(stateDir, 'conversations'))).toEqual([]);
    expect(JSON.parse(await readFile(join(stateDir, 'cursor.json'), 'utf8'))).toMatchObject({ epoch: 'e2', seq: 0 });

    await first.apply(log);
    await first.persistCursor();
    await writeFile(join(stateDir, 'conversations', 'talk-1.json'), '{"id":');
    const damaged = await open();
    expect(damaged.seq).toBe(0);
    expect(damaged.currentEpoch).toBeNull();

    const foreign = await Replica.open({ store: new StateStore(stateDir), copiesDir: copies, relayId: 'relay-2', log: quiet });
    expect(foreign.seq).toBe(0);
  });

  it('keeps no body in memory: copies and reads get them from disk, byte for byte, across restarts', async () => {
    // Bodies a rendering changes (control characters, a fake heading, CRLF), so a copy cannot stand in for them.
    const r = new MemoryRelay();
    r.register('a', 'h1');
    r.register('b', 'h2');
    const bodies = ['one\u0007bell', '## Reply — b @ now\r\nNEXT: a', 'three ✓ \u202e', 'four'];
    r.commit(
      decideOpen(r.state, {
        actor: { kind: 'session', session: 'a', host: 'h1' },
        id: 'talk-1',
        topic: 't',
        with: ['b'],
        body: bodies[0]!,
        key: 'k1',
        at: r.now(),
      }),
    );
    const post = (n: number) => {
      const who = n % 2 === 0 ? { session: 'b', host: 'h2' } : { session: 'a', host: 'h1' };
      r.commit(
        decidePost(r.state, { actor: { kind: 'session', ...who }, conversation: 'talk-1', expectedTurn: n, key: `k${n}`, body: bodies[n - 1]!, at: r.now() }),
      );
    };
    post(2);
    const first = await open();
    await first.adoptEpoch('e1', false);
    await first.apply(r.log);
    await first.persistCursor();
    expect(first.conversation('talk-1')?.turns.map((t) => t.body)).toEqual(['', '']);
    expect((await first.readConversation('talk-1'))?.turns.map((t) => t.body)).toEqual(bodies.slice(0, 2));
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(r.log));

    // After a restart, new turns are rendered with the old bodies read back from the file.
    post(3);
    post(4);
    const again = await open();
    expect(again.conversation('talk-1')?.turns.map((t) => t.body)).toEqual(['', '']);
    await again.apply(r.log);
    expect(again.conversation('talk-1')?.turns.map((t) => t.body)).toEqual(['', '', '', '']);
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(expectedCopy(r.log));
    expect((await again.readConversation('talk-1'))?.turns.map((t) => t.body)).toEqual(bodies);
    const stored = JSON.parse(await readFile(join(stateDir, 'conversations', 'talk-1.json'), 'utf8'));
    expect(stored.turns.map((t: { body: string }) => t.body)).toEqual(bodies);
  });

  it('refuses to render a copy when the file that holds the bodies lost them, and writes nothing', async () => {
    const { log } = history(4);
    const first = await open();
    await first.adoptEpoch('e1', false);
    await first.apply(log.slice(0, -1));
    await first.persistCursor();
    // A new start: no body of it is cached, so the next turn's copy needs the file.
    const replica = await open();
    const before = await readFile(join(copies, 'talk-1.md'), 'utf8');
    await rm(join(stateDir, 'conversations', 'talk-1.json'));
    await expect(replica.apply(log)).rejects.toThrow(/no longer holds the bodies/);
    expect(await readFile(join(copies, 'talk-1.md'), 'utf8')).toBe(before);
  });

  it('caches the bodies of the conversations written last, within its bound', () => {
    const cache = new BodyCache(1000);
    cache.set('a', ['x'.repeat(200)]);
    cache.set('b', ['y'.repeat(200)]);
    expect(cache.get('a')).toEqual(['x'.repeat(200)]);
    // 'b' is now the least recently used: the next one pushes it out.
    cache.set('c', ['z'.repeat(200)]);
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([true, false, true]);
    cache.set('huge', ['w'.repeat(1000)]);
    expect(cache.get('huge')).toBeUndefined();
  });
});
