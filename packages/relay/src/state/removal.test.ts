// Archive, delete, retention and compaction at the relay, over HTTP: who may do what, what the
// answers (read, list, log pages) show afterwards, the quota a delete frees, and the log file
// itself after compaction, also across restarts (from the log and from a snapshot).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@crosstalk/core/test-support';
import { describe, expect, it } from 'vitest';
import { relays, type TestHost, type TestRelay } from '../__fixtures__/harness.js';
import { compactLog } from '../store/compact.js';

const r = relays();
let keys = 0;
const DAY = 86_400_000;

async function setup(options: Parameters<typeof r.start>[0] = {}) {
  const relay = await r.start(options);
  const alpha = await relay.enroll('alpha');
  const beta = await relay.enroll('beta');
  await relay.join(alpha, 'a1');
  await relay.join(beta, 'b1');
  return { relay, alpha, beta };
}

async function reply(relay: TestRelay, host: TestHost, as: string, id: string, expectedTurn: number, body: string) {
  const res = await relay.request(host.signer, 'POST', `/v1/conversations/${id}/turns`, { as, expectedTurn, idempotencyKey: `k${keys++}`, body });
  expect(res.status, res.text).toBe(201);
}

async function close(relay: TestRelay, host: TestHost, id: string) {
  const res = await relay.request(host.signer, 'POST', `/v1/conversations/${id}/close`, { as: 'a1', resolution: 'done' });
  expect(res.status, res.text).toBe(200);
}

async function allEvents(relay: TestRelay): Promise<string> {
  const res = await relay.request(relay.admin, 'GET', '/v1/events?after=0');
  expect(res.status).toBe(200);
  return res.text;
}

describe('archive', () => {
  it('hides a conversation from the list unless asked; only its moderator or the admin may', async () => {
    const { relay, alpha, beta } = await setup();
    const id = await relay.open(alpha, 'a1', ['b1']);
    const other = await relay.open(alpha, 'a1', ['b1']);
    const refused = await relay.request(beta.signer, 'POST', `/v1/conversations/${id}/archive`, { as: 'b1' });
    expect(refused.body.code).toBe('NOT_MODERATOR');
    const done = await relay.request(alpha.signer, 'POST', `/v1/conversations/${id}/archive`, { as: 'a1' });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toEqual({ conversation: id, seq: expect.any(Number) });
    const again = await relay.request(relay.admin, 'POST', `/v1/conversations/${id}/archive`, {});
    expect(again.body.code).toBe('CONVERSATION_ARCHIVED');
    const list = await relay.request(alpha.signer, 'GET', '/v1/conversations');
    expect(list.body.conversations.map((c: { id: string }) => c.id)).toEqual([other]);
    const all = await relay.request(alpha.signer, 'GET', '/v1/conversations?archived=1');
    expect(all.body.conversations.find((c: { id: string }) => c.id === id)).toMatchObject({ archived: true });
    expect((await relay.request(alpha.signer, 'GET', `/v1/conversations/${id}`)).body.conversation.archived).toBe(true);
  });
});

describe('delete', () => {
  it('the moderator only once closed, the admin any time; then read, markdown and the log pages hold no body', async () => {
    const { relay, alpha, beta } = await setup();
    const id = await relay.open(alpha, 'a1', ['b1'], 'SECRET-OPENING');
    await reply(relay, beta, 'b1', id, 2, 'SECRET-REPLY');
    const kept = await relay.open(alpha, 'a1', ['b1'], 'KEPT-BODY');
    expect((await relay.request(alpha.signer, 'POST', `/v1/conversations/${id}/delete`, { as: 'a1' })).body.code).toBe('CONVERSATION_NOT_CLOSED');
    expect((await relay.request(beta.signer, 'POST', `/v1/conversations/${id}/delete`, { as: 'b1' })).body.code).toBe('NOT_MODERATOR');
    await close(relay, alpha, id);
    const deleted = await relay.request(alpha.signer, 'POST', `/v1/conversations/${id}/delete`, { as: 'a1' });
    expect(deleted.status, deleted.text).toBe(200);
    expect((await relay.request(alpha.signer, 'GET', `/v1/conversations/${id}`)).body.code).toBe('CONVERSATION_NOT_FOUND');
    expect((await relay.request(alpha.signer, 'GET', `/v1/conversations/${id}/markdown`)).body.code).toBe('CONVERSATION_NOT_FOUND');
    const events = await allEvents(relay);
    expect(events).not.toContain('SECRET');
    expect(events).toContain('KEPT-BODY');
    const parsed = JSON.parse(events).events as Array<{ type: string; conversation?: unknown }>;
    expect(parsed.filter((e) => e.type === 'conversation.purged')).toHaveLength(3);
    expect(parsed.filter((e) => e.type === 'conversation.deleted')).toEqual([expect.objectContaining({ conversation: id, by: 'a1', reason: 'request' })]);
    // The admin deletes one that is still open.
    expect((await relay.request(relay.admin, 'POST', `/v1/conversations/${kept}/delete`, {})).status).toBe(200);
    expect(await allEvents(relay)).not.toContain('KEPT-BODY');
    // The log file still holds the bodies until compaction; answers never do, also after a restart.
    const dataDir = relay.dataDir;
    expect(await readFile(join(dataDir, 'events.log'), 'utf8')).toContain('SECRET-REPLY');
    await r.stop(relay);
    const again = await r.start({ dataDir, snapshotAtStop: 1 });
    expect(await allEvents(again)).not.toContain('SECRET');
    // From the snapshot written at that stop, too.
    await r.stop(again);
    const fromSnapshot = await r.start({ dataDir });
    expect(fromSnapshot.logs.join('\n')).toMatch(/"fromSnapshot":[1-9]/);
    expect(await allEvents(fromSnapshot)).not.toContain('SECRET');
    const before = await allEvents(fromSnapshot);
    await r.stop(fromSnapshot);
    const result = await compactLog(dataDir);
    expect(result).toMatchObject({ purged: 4, conversations: 2, newEpoch: expect.any(String) });
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore);
    const log = await readFile(join(dataDir, 'events.log'), 'utf8');
    expect(log).not.toContain('SECRET');
    expect(log).not.toContain('KEPT-BODY');
    expect(log).toContain('"type":"conversation.deleted"');
    const compacted = await r.start({ dataDir });
    expect(compacted.relay.epoch).toBe(result.newEpoch);
    // Every answer reads as it did before: same seqs, same stubs.
    expect(await allEvents(compacted)).toBe(before);
    expect((await compactLog(dataDir).catch((e: { code?: string }) => e.code)) as string).toBe('DATA_DIR_LOCKED');
    await r.stop(compacted);
    const nothing = await compactLog(dataDir);
    expect(nothing).toMatchObject({ purged: 0, newEpoch: null, bytesAfter: nothing.bytesBefore });
  });

  it('frees the stored-bytes quota at once and after a restart', async () => {
    const quotas = { storedBytes: 100 * 1024 };
    const { relay, alpha } = await setup({ quotas });
    const body = 'x'.repeat(40 * 1024);
    const first = await relay.open(alpha, 'a1', ['b1'], body);
    await relay.open(alpha, 'a1', ['b1'], body);
    const refused = await relay.request(alpha.signer, 'POST', '/v1/conversations', { as: 'a1', topic: 't', with: ['b1'], body, idempotencyKey: `k${keys++}` });
    expect(refused.body.code).toBe('QUOTA_EXCEEDED');
    expect((await relay.request(relay.admin, 'POST', `/v1/conversations/${first}/delete`, {})).status).toBe(200);
    const third = await relay.open(alpha, 'a1', ['b1'], body);
    await r.stop(relay);
    const again = await r.start({ dataDir: relay.dataDir, quotas });
    // Two stored (the second and third): a fourth does not fit, and deleting one makes room again.
    const over = await again.request(alpha.signer, 'POST', '/v1/conversations', { as: 'a1', topic: 't', with: ['b1'], body, idempotencyKey: `k${keys++}` });
    expect(over.body.code).toBe('QUOTA_EXCEEDED');
    expect((await again.request(again.admin, 'POST', `/v1/conversations/${third}/delete`, {})).status).toBe(200);
    expect(
      (await again.request(alpha.signer, 'POST', '/v1/conversations', { as: 'a1', topic: 't', with: ['b1'], body, idempotencyKey: `k${keys++}` })).status,
    ).toBe(201);
  });
});

describe('retention', () => {
  it('deletes the conversations closed more than N days ago, and nothing else', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { relay, alpha } = await setup({ clock: () => now, retainClosedDays: 3, retentionCheckMs: 20 });
    const old = await relay.open(alpha, 'a1', ['b1'], 'OLD');
    const oldArchived = await relay.open(alpha, 'a1', ['b1'], 'OLD-ARCHIVED');
    const openOld = await relay.open(alpha, 'a1', ['b1'], 'OPEN-OLD');
    await close(relay, alpha, old);
    await close(relay, alpha, oldArchived);
    expect((await relay.request(alpha.signer, 'POST', `/v1/conversations/${oldArchived}/archive`, { as: 'a1' })).status).toBe(200);
    now += 2 * DAY;
    const recent = await relay.open(alpha, 'a1', ['b1'], 'RECENT');
    await close(relay, alpha, recent);
    const ids = async () =>
      ((await relay.request(relay.admin, 'GET', '/v1/conversations?archived=1')).body.conversations as Array<{ id: string }>).map((c) => c.id).sort();
    now += 1.5 * DAY;
    await waitFor('retention to delete the old closed ones', async () => (await ids()).length === 2);
    expect(await ids()).toEqual([openOld, recent].sort());
    const events = JSON.parse(await allEvents(relay)).events as Array<{ type: string; reason?: string }>;
    expect(events.filter((e) => e.type === 'conversation.deleted').map((e) => e.reason)).toEqual(['retention', 'retention']);
    now += 2 * DAY;
    await waitFor('retention to delete the recent one', async () => (await ids()).length === 1);
    expect(await ids()).toEqual([openOld]);
  });
});

describe('compaction of a running relay', () => {
  /** The compaction status, or null while the relay restarts for it. */
  const status = async (relay: TestRelay) => {
    const res = await relay.request(relay.admin, 'GET', '/v1/admin/compaction').catch(() => null);
    return res?.status === 200 ? res.body : null;
  };

  it('on request: answered first, then a restart on the same port with a new epoch and a log without the bodies', async () => {
    const { relay, alpha } = await setup();
    const epoch = relay.relay.epoch;
    const nothing = await relay.request(relay.admin, 'POST', '/v1/admin/compact', {});
    expect(nothing.status).toBe(200);
    expect(nothing.body).toMatchObject({ scheduled: false, epoch });
    expect((await relay.request(alpha.signer, 'POST', '/v1/admin/compact', {})).status).toBe(403);
    const id = await relay.open(alpha, 'a1', ['b1'], 'SECRET-ONLINE');
    const other = await relay.open(alpha, 'a1', ['b1'], 'STAYS');
    expect((await relay.request(relay.admin, 'POST', `/v1/conversations/${id}/delete`, {})).status).toBe(200);
    const asked = await relay.request(relay.admin, 'POST', '/v1/admin/compact', {});
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ scheduled: true, epoch });
    const done = await waitFor('the compaction to be reported', async () => {
      const s = await status(relay);
      return s && !s.running && s.last ? s : null;
    });
    expect(done.last).toMatchObject({ error: null, result: { purged: 1, conversations: 1, newEpoch: expect.any(String) } });
    expect(done.epoch).toBe(done.last.result.newEpoch);
    expect(relay.relay.epoch).toBe(done.epoch);
    const log = await readFile(join(relay.dataDir, 'events.log'), 'utf8');
    expect(log).not.toContain('SECRET-ONLINE');
    expect((await relay.request(alpha.signer, 'GET', `/v1/conversations/${other}`)).body.conversation.turns[0].body).toBe('STAYS');
  });

  it('on a schedule, only when deleted conversations left content in the log', async () => {
    const { relay, alpha } = await setup({ compactEveryMs: 30 });
    const epoch = relay.relay.epoch;
    const id = await relay.open(alpha, 'a1', ['b1'], 'SECRET-SCHEDULED');
    // Nothing deleted: the schedule leaves the relay alone.
    expect((await status(relay))?.last).toBeNull();
    expect((await relay.request(relay.admin, 'POST', `/v1/conversations/${id}/delete`, {})).status).toBe(200);
    const done = await waitFor('the scheduled compaction', async () => {
      const s = await status(relay);
      return s && !s.running && s.last ? s : null;
    });
    expect(done.epoch).not.toBe(epoch);
    expect(await readFile(join(relay.dataDir, 'events.log'), 'utf8')).not.toContain('SECRET-SCHEDULED');
  });
});
