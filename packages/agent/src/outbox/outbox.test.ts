// The agent's outbox: what it was told is kept survives a reopen (a kill -9), a torn last line is
// dropped, answered entries go; the forwarder sends in order when linked, sends kept posts again
// after a link drop, and never sends a moderation twice.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostForwarder, type PostResult } from './forwarder.js';
import { waitFor } from '@crosstalk/core/test-support';
import { DONE_LINGER_MS, OutboxLog } from './log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (id: string) => ({ id, op: 'turn', conversation: 'c-1', body: { idempotencyKey: id }, at: '2026-12-06T00:00:00.000Z' });
const log = { warn() {}, debug() {} };

describe('OutboxLog', () => {
  it('keeps what it acknowledged across a reopen, without what was answered or torn', async () => {
    const { log: a } = await OutboxLog.open(dir);
    await Promise.all([a.add(entry('one')), a.add(entry('two')), a.add(entry('three'))]);
    a.done('two');
    await a.close();
    // A write that was cut off by the kill: never acknowledged, so never kept.
    await appendFile(join(dir, 'outbox.jsonl'), '{"+":{"id":"torn","op":"tu');
    const { log: b, pending } = await OutboxLog.open(dir);
    expect(pending.map((e) => e.id)).toEqual(['one', 'three']);
    // Reopening rewrote the file with only what is pending.
    expect((await readFile(join(dir, 'outbox.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);
    await b.close();
  });
});

describe('OutboxLog answers', () => {
  const lines = async () => (await readFile(join(dir, 'outbox.jsonl'), 'utf8')).trim().split('\n').filter(Boolean);

  it('writes an answer with the next kept entry, or alone a while later, and on close', async () => {
    const { log: a } = await OutboxLog.open(dir);
    await a.add(entry('one'));
    await a.add(entry('two'));
    a.done('one');
    // No write of its own yet: it goes with the next entry's.
    expect(await lines()).toHaveLength(2);
    await a.add(entry('three'));
    expect((await lines()).slice(2)).toEqual(['{"-":"one"}', `${JSON.stringify({ '+': entry('three') })}`]);
    // With nothing else to write, it goes alone within the linger time.
    const answered = Date.now();
    a.done('two');
    await waitFor('the answer to be written', async () => (await lines()).includes('{"-":"two"}'), { timeoutMs: DONE_LINGER_MS + 5_000 });
    expect(Date.now() - answered).toBeGreaterThanOrEqual(DONE_LINGER_MS - 50);
    a.done('three');
    await a.close();
    expect((await lines()).at(-1)).toBe('{"-":"three"}');
    const { log: b, pending } = await OutboxLog.open(dir);
    expect(pending).toEqual([]);
    await b.close();
  });
});

describe('PostForwarder', () => {
  async function setup() {
    const { log: store, pending: restored } = await OutboxLog.open(dir);
    const sent: Array<{ id: string; op: string }> = [];
    let up = false;
    const f = new PostForwarder({ send: (frame) => up && sent.push(JSON.parse(frame)) > 0, log, store }, restored);
    return { f, sent, store, setUp: (v: boolean) => (up = v) };
  }

  it('sends restored and new posts in order once linked, and again after a drop until answered', async () => {
    // What an earlier run kept.
    const before = await OutboxLog.open(dir);
    await before.log.add(entry('old'));
    await before.log.close();
    const { f, sent, store, setUp } = await setup();
    const a = f.submit('turn', 'c-1', { idempotencyKey: 'a' }, true);
    expect(await a.kept).toBe(true);
    expect(sent).toEqual([]);
    setUp(true);
    f.linkUp();
    expect(sent.map((s) => s.id)).toEqual(['old', a.id]);
    f.linkDown();
    setUp(false);
    setUp(true);
    f.linkUp();
    expect(sent.map((s) => s.id)).toEqual(['old', a.id, 'old', a.id]);
    // Linked: a new post goes out at once, its outbox line on the way to disk meanwhile.
    const b = f.submit('turn', 'c-1', { idempotencyKey: 'b' }, true);
    expect(sent.at(-1)?.id).toBe(b.id);
    expect(await b.kept).toBe(true);
    f.answer({ t: 'posted', id: b.id, status: 201, answer: {} });
    f.answer({ t: 'posted', id: a.id, status: 201, answer: { ok: 1 } });
    expect(await a.result).toEqual({ ok: true, status: 201, answer: { ok: 1 } });
    expect(f.size).toBe(1);
    await store.close();
    const { pending } = await OutboxLog.open(dir);
    expect(pending.map((e) => e.id)).toEqual(['old']);
  });

  it('keeps a post the relay refused while stopping, and passes other refusals on', async () => {
    const { f, sent, store, setUp } = await setup();
    setUp(true);
    f.linkUp();
    const a = f.submit('turn', 'c-1', { idempotencyKey: 'a' }, true);
    await a.kept;
    f.answer({ t: 'refused', id: a.id, status: 503, code: 'SHUTTING_DOWN', message: 'bye', hint: '' });
    expect(f.size).toBe(1);
    f.linkUp();
    expect(sent.filter((s) => s.id === a.id)).toHaveLength(2);
    f.answer({ t: 'refused', id: a.id, status: 409, code: 'TURN_CONFLICT', message: 'moved on', hint: 'read' });
    expect(await a.result).toMatchObject({ ok: false, code: 'TURN_CONFLICT' });
    expect(f.size).toBe(0);
    await store.close();
  });

  it('sends a moderation once: a drop before its answer gives it up as unknown, and one never sent can be cancelled', async () => {
    const { f, sent, store, setUp } = await setup();
    const waiting = f.submit('close', 'c-1', { resolution: 'x' }, false);
    await waiting.kept;
    expect(f.cancel(waiting.id)).toBe(true);
    setUp(true);
    f.linkUp();
    expect(sent).toEqual([]);
    const m = f.submit('moderate', 'c-1', { action: { type: 'extend', by: 1 } }, false);
    await m.kept;
    expect(sent.map((s) => s.id)).toEqual([m.id]);
    expect(f.cancel(m.id)).toBe(false);
    f.linkDown();
    const r: PostResult = await m.result;
    expect(r).toMatchObject({ ok: false, code: 'RELAY_UNREACHABLE', message: expect.stringContaining('may or may not') });
    f.linkUp();
    expect(sent).toHaveLength(1);
    await store.close();
  });
});
