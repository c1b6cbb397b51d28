// Turn bodies live in the log, not in the relay's memory: whatever reads them (a conversation, its
// receipts, a repeated post) gets them exactly as they were posted: while appends go on, after a
// restart that folds the whole log or starts from a snapshot, and after a repair cut the log. The
// reference is core's own fold of the same events, which keeps every body in memory.
import { readFile, writeFile } from 'node:fs/promises';
import { applyEvent, decidePost, emptyState, type Conversation, type RelayEvent, type RelayState } from '@crosstalk/core';
import { seeded } from '@crosstalk/core/test-support';
import { describe, expect, it } from 'vitest';
import { relays } from '../__fixtures__/harness.js';
import { HistoryGenerator } from '../__fixtures__/history.js';
import { tempDirs } from '../__fixtures__/temp.js';
import { dataPath, initDataDir, readRelayInfo } from '../datadir/datadir.js';
import { repairLog } from '../store/repair.js';
import { RECEIPTS_KEPT } from './fold.js';
import { Ledger } from './ledger.js';

const r = tempDirs();
const running = relays();
const SEED = Number(process.env.CROSSTALK_TEST_SEED ?? Date.now() % 1_000_000_000);
/** A ring of 16 records and a 2 KiB cache: most reads go to the file. */
const SMALL = { ringRecords: 16, turnCacheBytes: 2048 };

function reference(events: readonly RelayEvent[]): { state: RelayState; receipts: Map<string, RelayEvent[]> } {
  const state = emptyState();
  const receipts = new Map<string, RelayEvent[]>();
  for (const e of events) {
    applyEvent(state, e);
    if (e.type !== 'receipt') continue;
    const list = receipts.get(e.receipt.conversation) ?? [];
    receipts.set(e.receipt.conversation, [...list, e].slice(-RECEIPTS_KEPT));
  }
  return { state, receipts };
}

/** Every conversation and receipt list the ledger reads back equals the reference, serialised byte for byte. */
async function expectSameAsReference(ledger: Ledger, events: readonly RelayEvent[]): Promise<void> {
  const ref = reference(events);
  expect([...ledger.state.conversations.keys()].sort()).toEqual([...ref.state.conversations.keys()].sort());
  for (const [id, want] of ref.state.conversations) {
    const got = await ledger.readConversation(id);
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    const receipts = (ref.receipts.get(id) ?? []).map((e) => (e.type === 'receipt' ? { ...e.receipt, seq: e.seq, at: e.at } : null));
    expect(await ledger.receiptsOf(id)).toEqual(receipts);
  }
}

async function open(file: string, dataDir?: string): Promise<Ledger> {
  const snapshot = dataDir ? { path: dataPath(dataDir, 'snapshot'), epoch: (await readRelayInfo(dataDir)).epoch } : undefined;
  return (await Ledger.open(file, { onFatal: () => {}, ...SMALL, ...(snapshot ? { snapshot } : {}) })).ledger;
}

/** Commits `batches` generated batches, reading conversations back while later ones are still being appended. */
async function busyLedger(ledger: Ledger, batches: number, seed: number, before: readonly RelayEvent[] = []): Promise<RelayEvent[]> {
  const rand = seeded(seed);
  const gen = new HistoryGenerator(rand);
  const ref = reference(before).state;
  const events: RelayEvent[] = [];
  const reads: Array<Promise<void>> = [];
  for (let i = 0; i < batches; i++) {
    const committed = ledger.commit(gen.next(ref));
    for (const e of committed.events) applyEvent(ref, e);
    events.push(...committed.events);
    if (i % 7 === 0 && ref.conversations.size > 0) {
      const ids = [...ref.conversations.keys()];
      const id = ids[Math.floor(rand() * ids.length)] as string;
      // What the conversation holds now; turns never change, so the read must give exactly these.
      const want = JSON.stringify((ref.conversations.get(id) as Conversation).turns);
      reads.push(ledger.readConversation(id).then((c) => expect(JSON.stringify(c.turns)).toBe(want)));
    }
    if (i % 50 === 0) await committed.durable;
  }
  await ledger.settled();
  await Promise.all(reads);
  return events;
}

describe('bodies on disk', () => {
  it('reads every body as posted, while appends go on, after a whole-log restart and from a snapshot', async () => {
    const dataDir = await r.dir();
    await initDataDir(dataDir);
    const file = dataPath(dataDir, 'log');
    const first = await open(file);
    const events = await busyLedger(first, 600, SEED);
    expect(events.filter((e) => e.type === 'turn.posted').length).toBeGreaterThan(50);
    await expectSameAsReference(first, events);
    const info = await readRelayInfo(dataDir);
    expect(await first.writeSnapshot(dataPath(dataDir, 'snapshot'), info.epoch)).toMatchObject({ seq: events.length });
    await first.events.close();
    const snapshot = await readFile(dataPath(dataDir, 'snapshot'), 'utf8');
    // A body a turn proposed as the decision is in the state as the proposal's text, and a
    // resolution may quote a body's first 100 characters; no longer body is there.
    const proposed = events.flatMap((e) => (e.type === 'turn.posted' && e.turn.proposes !== undefined ? [e.turn.proposes] : []));
    const bodies = events.flatMap((e) => (e.type === 'turn.posted' ? [e.turn.body] : []));
    const unproposed = bodies.filter((b) => b.length > 120 && !proposed.some((p) => p.includes(b)));
    expect(unproposed.length).toBeGreaterThan(5);
    for (const body of unproposed) expect(snapshot).not.toContain(JSON.stringify(body).slice(1, -1));

    const whole = await open(file);
    await expectSameAsReference(whole, events);
    // The restart folded turns without their bodies' text (counted from the records' bytes): every host's turns weigh the same.
    expect([...whole.folded.usage.stored].sort()).toEqual([...first.folded.usage.stored].sort());
    expect(whole.folded.usage.recent).toEqual(first.folded.usage.recent);
    for (const e of first.folded.conversations.allEntries()) expect(whole.folded.conversations.entry(e.meta.id)?.hostBytes).toEqual(e.hostBytes);
    await whole.events.close();
    const fromSnapshot = await open(file, dataDir);
    await expectSameAsReference(fromSnapshot, events);

    // A repeated post is recognised from the body in the log; the same key with another body is refused.
    const turn = events.find((e): e is Extract<RelayEvent, { type: 'turn.posted' }> => e.type === 'turn.posted') as Extract<
      RelayEvent,
      { type: 'turn.posted' }
    >;
    const key = turn.key.slice(turn.key.indexOf(':') + 1);
    const repeat = {
      actor: { kind: 'session' as const, session: turn.turn.author, host: turn.turn.host },
      conversation: turn.conversation,
      expectedTurn: turn.turn.n,
      key,
      at: turn.at,
    };
    expect(decidePost(fromSnapshot.state, { ...repeat, body: turn.turn.body })).toEqual({
      kind: 'duplicate',
      conversation: turn.conversation,
      turn: turn.turn.n,
    });
    expect(() => decidePost(fromSnapshot.state, { ...repeat, body: `${turn.turn.body}!` })).toThrow(/already used/);
    await fromSnapshot.events.close();
  });

  it('after a repair cut the log, reads give the bodies of the records kept, and appends go on', async () => {
    const dataDir = await r.dir();
    await initDataDir(dataDir);
    const file = dataPath(dataDir, 'log');
    const first = await open(file);
    const events = await busyLedger(first, 300, SEED + 1);
    await first.events.close();
    // Damage a record two thirds in: the repair keeps the records before it.
    const bytes = await readFile(file);
    const starts = [0];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
    const damaged = Math.floor((events.length * 2) / 3);
    const at = (starts[damaged] as number) + 20;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(file, bytes);
    const repaired = await repairLog(dataDir);
    expect(repaired).toMatchObject({ truncatedAt: starts[damaged], lastSeq: damaged });

    const kept = events.slice(0, damaged);
    const after = await open(file);
    await expectSameAsReference(after, kept);
    const more = await busyLedger(after, 100, SEED + 2, kept);
    await expectSameAsReference(after, [...kept, ...more]);
    await after.events.close();
  });

  it('over HTTP and a link, after a restart: a conversation, its markdown, a log page and a replay hold every body as posted', async () => {
    const relay = await running.start();
    const linux = await relay.enroll('linux-box');
    const win = await relay.enroll('win-laptop');
    await relay.join(linux, 'codex-linux');
    await relay.join(win, 'claude-win');
    const bodies = ['opening \u0007 ## Turn 9/9\r\nNEXT: nobody', `${'x'.repeat(60 * 1024)}end`, 'é ü 中文 🚀 \u202e \u200b', '"quoted" \\ back\tslash\n---\n'];
    const id = await relay.open(linux, 'codex-linux', ['claude-win'], bodies[0]);
    for (let n = 2; n <= bodies.length; n++) {
      const [host, as] = n % 2 === 0 ? [win, 'claude-win'] : [linux, 'codex-linux'];
      const res = await relay.request(host.signer, 'POST', `/v1/conversations/${id}/turns`, {
        as,
        expectedTurn: n,
        idempotencyKey: `k${n}`,
        body: bodies[n - 1],
      });
      expect(res.status).toBe(201);
      expect(res.body.turn.body).toBe(bodies[n - 1]);
    }
    const before = {
      conversation: (await relay.request(linux.signer, 'GET', `/v1/conversations/${id}`)).text,
      markdown: (await relay.request(linux.signer, 'GET', `/v1/conversations/${id}/markdown`)).text,
      events: (await relay.request(linux.signer, 'GET', '/v1/events')).text,
    };
    expect(JSON.parse(before.conversation).conversation.turns.map((t: { body: string }) => t.body)).toEqual(bodies);
    await running.stop(relay);

    const again = await running.start({ dataDir: relay.dataDir });
    expect((await again.request(linux.signer, 'GET', `/v1/conversations/${id}`)).text).toBe(before.conversation);
    expect((await again.request(linux.signer, 'GET', `/v1/conversations/${id}/markdown`)).text).toBe(before.markdown);
    expect((await again.request(linux.signer, 'GET', '/v1/events')).text).toBe(before.events);
    const since = (await again.request(linux.signer, 'GET', `/v1/conversations/${id}?since=2`)).body.conversation.turns;
    expect(since.map((t: { body: string }) => t.body)).toEqual(bodies.slice(2));
    // A repeated post is answered with the original turn, read back from the log.
    const repeat = await again.request(win.signer, 'POST', `/v1/conversations/${id}/turns`, {
      as: 'claude-win',
      expectedTurn: 2,
      idempotencyKey: 'k2',
      body: bodies[1],
    });
    expect([repeat.status, repeat.body.duplicate, repeat.body.turn.body]).toEqual([200, true, bodies[1]]);
    const link = await running.link(again, win.signer);
    const { head } = JSON.parse(before.events) as { head: number };
    await link.waitForSeq(head);
    expect(JSON.stringify(link.events)).toBe(JSON.stringify(JSON.parse(before.events).events));
  });
});
