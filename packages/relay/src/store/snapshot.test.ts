// Snapshots: a relay that stops cleanly writes one; the next start folds only the log after it
// and holds exactly the state a whole-log fold gives. A damaged snapshot, or one the log does not
// match, is ignored and the whole log is folded.
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { waitFor } from '@crosstalk/core/test-support';
import { describe, expect, it } from 'vitest';
import { relays, type TestHost, type TestRelay } from '../__fixtures__/harness.js';
import { dataPath } from '../datadir/datadir.js';
import { Ledger } from '../state/ledger.js';
import { readSnapshot } from './snapshot.js';

const r = relays();

/** Conversations, turns (one proposing, one agreeing), moderation, receipts and a revoked host. */
async function busyRelay(relay: TestRelay): Promise<{ linux: TestHost; ids: string[] }> {
  const linux = await relay.enroll('linux-box');
  const win = await relay.enroll('win-laptop');
  const mac = await relay.enroll('mac-mini');
  await relay.join(linux, 'codex-linux');
  await relay.join(win, 'claude-win');
  await relay.join(mac, 'claude-mac');
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const id = await relay.open(linux, 'codex-linux', ['claude-win'], `opening ${i}`);
    ids.push(id);
    await relay.request(win.signer, 'POST', `/v1/conversations/${id}/turns`, {
      as: 'claude-win',
      expectedTurn: 2,
      idempotencyKey: `k2-${i}`,
      body: `reply ${i}\n---\nwith a rule`,
      propose: 'do it',
    });
    await relay.request(linux.signer, 'POST', `/v1/conversations/${id}/turns`, {
      as: 'codex-linux',
      expectedTurn: 3,
      idempotencyKey: `k3-${i}`,
      body: 'agreed',
      agree: i === 0,
    });
    await relay.request(win.signer, 'POST', '/v1/receipts', { session: 'claude-win', conversation: id, turn: 3, status: 'delivered', attempt: 1 });
  }
  await relay.request(relay.admin, 'POST', `/v1/conversations/${ids[1]}/moderate`, { action: { type: 'extend', by: 5 } });
  await relay.request(relay.admin, 'POST', `/v1/conversations/${ids[2]}/close`, { resolution: 'done' });
  await relay.request(relay.admin, 'POST', '/v1/hosts/mac-mini/revoke');
  return { linux, ids };
}

/** Everything a Ledger holds, in a comparable form. */
async function ledgerView(dataDir: string, withSnapshot: boolean) {
  const epoch = JSON.parse(await readFile(dataPath(dataDir, 'relay'), 'utf8')).epoch as string;
  const opened = await Ledger.open(dataPath(dataDir, 'log'), {
    onFatal: () => {},
    ...(withSnapshot ? { snapshot: { path: dataPath(dataDir, 'snapshot'), epoch } } : {}),
  });
  const { ledger } = opened;
  const s = ledger.state;
  const ids = [...s.conversations.keys()];
  const view = {
    seq: s.seq,
    // Read back whole, bodies from the log.
    conversations: await Promise.all(ids.map((id) => ledger.readConversation(id))),
    summaries: [...ledger.summaries()],
    sessions: [...s.sessions],
    hosts: [...s.hosts],
    invites: [...s.invites],
    idempotency: [...s.idempotency],
    turnSeqs: ids.map((id) => (s.conversations.get(id)?.turns ?? []).map((t) => ledger.turnSeq(id, t.n))),
    receipts: await Promise.all(ids.map((id) => ledger.receiptsOf(id))),
    usage: [[...ledger.folded.usage.stored], ledger.folded.usage.recent],
  };
  await ledger.events.close();
  return { view, snapshot: opened.snapshot };
}

describe('snapshots', () => {
  it('are written at a clean stop, and a start from one holds what folding the whole log gives', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    const { linux, ids } = await busyRelay(relay);
    await r.stop(relay);
    const read = await readSnapshot(dataPath(relay.dataDir, 'snapshot'), relay.relay.epoch);
    expect(read.found && 'anchor' in read && read.anchor.seq).toBeGreaterThan(20);

    const whole = await ledgerView(relay.dataDir, false);
    const fromSnapshot = await ledgerView(relay.dataDir, true);
    expect(fromSnapshot.snapshot).toEqual({ seq: whole.view.seq });
    expect(fromSnapshot.view).toEqual(whole.view);

    // The relay started from it answers as before, idempotency included.
    const again = await r.start({ dataDir: relay.dataDir, snapshotAtStop: 1 });
    expect(again.logs.join('\n')).toContain(`"fromSnapshot":${whole.view.seq}`);
    const retry = await again.request(linux.signer, 'POST', `/v1/conversations/${ids[0]}/turns`, {
      as: 'codex-linux',
      expectedTurn: 3,
      idempotencyKey: 'k3-0',
      body: 'agreed',
      agree: true,
    });
    expect([retry.status, retry.body.duplicate]).toEqual([200, true]);
  });

  it('folds the log written after the snapshot on top of it', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    const { linux, ids } = await busyRelay(relay);
    await r.stop(relay);
    // A run that writes no snapshot of its own, so the log grows past the snapshot.
    const later = await r.start({ dataDir: relay.dataDir, snapshotAtStop: 1_000_000 });
    await later.request(linux.signer, 'POST', `/v1/conversations/${ids[1]}/turns`, {
      as: 'codex-linux',
      expectedTurn: 3,
      idempotencyKey: 'late',
      body: 'after the snapshot',
    });
    await later.join(linux, 'late-session');
    await r.stop(later);
    const whole = await ledgerView(relay.dataDir, false);
    const fromSnapshot = await ledgerView(relay.dataDir, true);
    expect(fromSnapshot.snapshot).toMatchObject({ seq: expect.any(Number) });
    expect((fromSnapshot.snapshot as { seq: number }).seq).toBeLessThan(whole.view.seq);
    expect(fromSnapshot.view).toEqual(whole.view);
  });

  it('ignores a damaged snapshot and folds the whole log', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    await busyRelay(relay);
    await r.stop(relay);
    const path = dataPath(relay.dataDir, 'snapshot');
    const original = await readFile(path);
    const bytes = Buffer.from(original);
    const at = bytes.indexOf('Extended the turn limit');
    bytes[at] = 'e'.charCodeAt(0);
    await writeFile(path, bytes);
    const whole = await ledgerView(relay.dataDir, false);
    const damaged = await ledgerView(relay.dataDir, true);
    expect(damaged.snapshot).toEqual({ ignored: 'the snapshot checksum does not match' });
    expect(damaged.view).toEqual(whole.view);
    expect(JSON.stringify(damaged.view)).not.toContain('extended the turn limit');

    // Cut short, it is ignored as well; and so is a sound one of another epoch.
    await writeFile(path, original.subarray(0, original.length - 10));
    expect((await ledgerView(relay.dataDir, true)).snapshot).toEqual({ ignored: 'the snapshot is incomplete' });
    await writeFile(path, original);
    expect(await readSnapshot(path, 'another-epoch')).toEqual({
      found: true,
      ignored: `the snapshot belongs to epoch ${relay.relay.epoch}, not another-epoch`,
    });
  });

  it('ignores a snapshot with any one bit of its trailer flipped, the fields nothing else checks included', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    await busyRelay(relay);
    await r.stop(relay);
    const path = dataPath(relay.dataDir, 'snapshot');
    const original = await readFile(path);
    expect(await readSnapshot(path, relay.relay.epoch)).toMatchObject({ found: true, anchor: expect.any(Object) });
    const trailerStart = original.lastIndexOf(0x0a, original.length - 2) + 1;
    expect(original.toString('utf8', trailerStart)).toContain('"createdAt"');
    const trusted: string[] = [];
    for (let at = trailerStart; at < original.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const bytes = Buffer.from(original);
        bytes[at] = (bytes[at] as number) ^ (1 << bit);
        await writeFile(path, bytes);
        const read = await readSnapshot(path, relay.relay.epoch);
        if (!read.found || !('ignored' in read)) trusted.push(`byte ${at - trailerStart} bit ${bit}: ${bytes.toString('utf8', trailerStart)}`);
      }
    }
    expect(trusted).toEqual([]);
  });

  it('holds no turn body, and the state read back from one gives every body as the log holds it', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    const { ids } = await busyRelay(relay);
    await r.stop(relay);
    const text = await readFile(dataPath(relay.dataDir, 'snapshot'), 'utf8');
    for (const body of ['opening 0', 'reply 1', 'with a rule']) expect(text).not.toContain(body);
    const fromSnapshot = await ledgerView(relay.dataDir, true);
    expect(fromSnapshot.snapshot).toMatchObject({ seq: expect.any(Number) });
    const first = fromSnapshot.view.conversations.find((c) => c.id === ids[1]);
    expect(first?.turns.map((t) => t.body)).toEqual(['opening 1', 'reply 1\n---\nwith a rule', 'agreed']);
  });

  it('ignores a snapshot of an older format (2: turns with their bodies) with a warning and folds the whole log', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    await busyRelay(relay);
    await r.stop(relay);
    const path = dataPath(relay.dataDir, 'snapshot');
    const current = await readFile(path);
    const trailerStart = current.lastIndexOf(0x0a, current.length - 2) + 1;
    const lines = current.subarray(0, trailerStart);
    const fields = JSON.parse(current.toString('utf8', trailerStart)) as Record<string, unknown>;
    const covered = Buffer.from(`${JSON.stringify({ ...fields, version: 2, checksum: undefined }).slice(0, -1)},"checksum":"`);
    const v2 = Buffer.concat([lines, covered, Buffer.from(`${crc32(covered, crc32(lines)).toString(16).padStart(8, '0')}"}\n`)]);
    await writeFile(path, v2);
    const reason = 'the snapshot has format version 2, not 3';
    expect(await readSnapshot(path, relay.relay.epoch)).toEqual({ found: true, ignored: reason });
    const whole = await ledgerView(relay.dataDir, false);
    const old = await ledgerView(relay.dataDir, true);
    expect(old.snapshot).toEqual({ ignored: reason });
    expect(old.view).toEqual(whole.view);
  });

  it('ignores a snapshot of the first format (its checksum covered only the lines) with a warning, folds the whole log and builds a new one', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    await busyRelay(relay);
    await r.stop(relay);
    const path = dataPath(relay.dataDir, 'snapshot');
    // The same snapshot as the first format wrote it: version 1, the checksum of the lines alone, then createdAt.
    const current = await readFile(path);
    const trailerStart = current.lastIndexOf(0x0a, current.length - 2) + 1;
    const lines = current.subarray(0, trailerStart);
    const { checksum: _, ...fields } = JSON.parse(current.toString('utf8', trailerStart)) as Record<string, unknown>;
    const { createdAt, ...rest } = fields;
    const v1 = { ...rest, version: 1, checksum: crc32(lines).toString(16).padStart(8, '0'), createdAt };
    await writeFile(path, Buffer.concat([lines, Buffer.from(`${JSON.stringify(v1)}\n`)]));
    const reason = 'the snapshot has format version 1, not 3';
    expect(await readSnapshot(path, relay.relay.epoch)).toEqual({ found: true, ignored: reason });
    const whole = await ledgerView(relay.dataDir, false);
    const old = await ledgerView(relay.dataDir, true);
    expect(old.snapshot).toEqual({ ignored: reason });
    expect(old.view).toEqual(whole.view);

    // A relay started on it says why and folds the whole log; its worker thread builds a new one from the log alone.
    const again = await r.start({ dataDir: relay.dataDir, snapshotEvery: 1, snapshotAtStop: 1_000_000 });
    expect(again.logs.join('\n')).toContain(reason);
    expect(again.logs.join('\n')).toContain('"fromSnapshot":0');
    await again.join(await again.enroll('late-box'), 'late-session');
    const written = await waitFor('a snapshot built while serving', () => again.logs.find((l) => l.includes('"msg":"snapshot written"')));
    expect(JSON.parse(written)).toMatchObject({ from: 0 });
    await r.stop(again);
    const rebuilt = await readSnapshot(path, relay.relay.epoch);
    expect(rebuilt).toMatchObject({ found: true, anchor: expect.any(Object) });
  });

  it('ignores a snapshot of records the log no longer holds', async () => {
    const relay = await r.start({ snapshotAtStop: 1 });
    await busyRelay(relay);
    await r.stop(relay);
    const log = dataPath(relay.dataDir, 'log');
    // The last records are gone (as after restoring an older copy of the log).
    const size = (await stat(log)).size;
    const text = await readFile(log, 'utf8');
    await truncate(log, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1)));
    expect((await stat(log)).size).toBeLessThan(size);
    const whole = await ledgerView(relay.dataDir, false);
    const mismatched = await ledgerView(relay.dataDir, true);
    expect(mismatched.snapshot).toEqual({ ignored: expect.stringContaining('the log does not hold the record the snapshot was taken at') });
    expect(mismatched.view).toEqual(whole.view);
    // A relay started on it says so, and serves the shorter log.
    const again = await r.start({ dataDir: relay.dataDir });
    expect(again.logs.join('\n')).toContain('snapshot ignored');
    expect((await again.request(again.admin, 'GET', '/v1/health')).body.head).toBe(whole.view.seq);
  });

  it('are built beside a serving relay every so many events, and a start folds the log after the newest', async () => {
    const relay = await r.start({ snapshotEvery: 15, snapshotAtStop: 1_000_000 });
    const { linux, ids } = await busyRelay(relay);
    const written = await waitFor('a snapshot built while serving', () => relay.logs.find((l) => l.includes('"msg":"snapshot written"')));
    expect(JSON.parse(written)).toMatchObject({ seq: expect.any(Number), from: expect.any(Number) });
    await relay.request(linux.signer, 'POST', `/v1/conversations/${ids[1]}/turns`, {
      as: 'codex-linux',
      expectedTurn: 3,
      idempotencyKey: 'late',
      body: 'after the snapshot',
    });
    await r.stop(relay);
    const whole = await ledgerView(relay.dataDir, false);
    const fromSnapshot = await ledgerView(relay.dataDir, true);
    expect((fromSnapshot.snapshot as { seq: number }).seq).toBeGreaterThanOrEqual(15);
    expect((fromSnapshot.snapshot as { seq: number }).seq).toBeLessThan(whole.view.seq);
    expect(fromSnapshot.view).toEqual(whole.view);
  });

  it('is not written when few events came since the last one', async () => {
    const relay = await r.start();
    await busyRelay(relay);
    await r.stop(relay);
    expect(await readSnapshot(join(relay.dataDir, 'snapshot.json'), relay.relay.epoch)).toEqual({ found: false });
  });
});
