// The agent's disk budget: past it the replica takes in no new conversation. It stops before the
// event that opens one, the cursor with it, so the copies and state never grow past the budget by
// more than the conversations already taken in, nothing is lost, and a larger budget catches up.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideOpen, decidePost, type RelayEvent } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import { Replica } from './replica.js';
import { StateStore } from './store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-budget-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A flood: `count` conversations with 16 KiB bodies, then a reply in the first one. */
function flood(count: number): RelayEvent[] {
  const r = new MemoryRelay();
  r.register('m', 'mallory');
  r.register('v', 'victim');
  const body = 'f'.repeat(16 * 1024);
  for (let i = 1; i <= count; i++) {
    const topic = `flood ${i}`;
    r.commit(
      decideOpen(r.state, { actor: { kind: 'session', session: 'm', host: 'mallory' }, id: `flood-${i}`, topic, with: ['v'], body, key: `k${i}`, at: r.now() }),
    );
  }
  r.commit(
    decidePost(r.state, {
      actor: { kind: 'session', session: 'v', host: 'victim' },
      conversation: 'flood-1',
      expectedTurn: 2,
      key: 'reply',
      body: 'reply',
      at: r.now(),
    }),
  );
  return r.log;
}

async function diskUse(path: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(path)) total += (await readFile(join(path, name))).length;
  return total;
}

describe('disk budget', () => {
  it('stops before the first new conversation past the budget, says so, and catches up with a larger one', async () => {
    const warnings: Array<{ obj: object; msg: string }> = [];
    const log = { info: () => {}, warn: (obj: object, msg: string) => void warnings.push({ obj, msg }) };
    const copies = join(dir, 'conversations');
    const stateDir = join(dir, 'state');
    const open = (budget: number) => Replica.open({ store: new StateStore(stateDir), copiesDir: copies, relayId: 'r', log, diskBudgetBytes: budget });
    const events = flood(40);

    const budget = 200 * 1024;
    const small = await open(budget);
    await small.adoptEpoch('e', false);
    const outcome = await small.apply(events);
    expect(outcome.gap).toBeNull();
    const written = (await readdir(copies)).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(40);
    // Each conversation takes about 32 KiB (copy and state): the budget is passed by one at most.
    expect(small.usedBytes).toBeGreaterThanOrEqual(budget);
    expect(small.usedBytes).toBeLessThan(budget + 40 * 1024);
    expect((await diskUse(copies)) + (await diskUse(join(stateDir, 'conversations')))).toBeLessThan(budget + 40 * 1024);
    expect(small.pausedAt).toMatchObject({ conversation: `flood-${written + 1}`, budgetBytes: budget });
    expect(warnings.map((w) => w.msg)).toEqual(['DISK BUDGET REACHED: not writing new conversations; nothing is lost, the cursor stays before them']);
    // The cursor stays before the conversation not taken in; more events change nothing.
    await small.persistCursor();
    const cursor = JSON.parse(await readFile(join(stateDir, 'cursor.json'), 'utf8')) as { seq: number };
    expect(cursor.seq).toBe((small.pausedAt?.seq ?? 0) - 1);
    expect((await small.apply(events)).applied).toBe(0);
    expect(warnings).toHaveLength(1);

    // A larger budget at the next start: the replay from the cursor brings in everything.
    const large = await open(16 * 1024 * 1024);
    expect(large.usedBytes).toBe(small.usedBytes);
    await large.apply(events.filter((e) => e.seq > cursor.seq));
    expect(large.pausedAt).toBeNull();
    expect((await readdir(copies)).length).toBe(40);
    expect(large.seq).toBe(events.length);
    expect(large.conversation('flood-1')?.turns).toHaveLength(2);
  });
});
