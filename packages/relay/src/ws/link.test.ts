// WebSocket links against a running relay: fan-out, resume, replacement, revocation, heartbeat
// and hostile frames.
import { join } from 'node:path';
import { PROTOCOL_VERSION, type PendingEvent } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { describe, expect, it } from 'vitest';
import { relays, type TestHost, type TestLink, type TestRelay } from '../__fixtures__/harness.js';
import { initDataDir } from '../datadir/datadir.js';
import { EventLog } from '../store/event-log.js';

const r = relays();

function expectExactlyOnceInOrder(link: TestLink, from: number, to: number): void {
  expect(link.events.map((e) => e.seq)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

async function post(relay: TestRelay, host: TestHost, id: string, as: string, expectedTurn: number) {
  const res = await relay.request(host.signer, 'POST', `/v1/conversations/${id}/turns`, {
    as,
    expectedTurn,
    idempotencyKey: `t${expectedTurn}-${id}`,
    body: `turn ${expectedTurn}`,
  });
  expect(res.status).toBe(201);
  return res.body.seq as number;
}

async function twoHosts() {
  const relay = await r.start();
  const linux = await relay.enroll('linux-box');
  const win = await relay.enroll('win-laptop');
  await relay.join(linux, 'codex-linux');
  await relay.join(win, 'claude-win');
  return { relay, linux, win };
}

/** A data dir whose log already holds `count` events (receipts, as a busy relay would have). */
async function prefilled(count: number): Promise<string> {
  const dataDir = join(await r.dir(), 'relay');
  await initDataDir(dataDir);
  const { log } = await EventLog.open({ file: join(dataDir, 'events.log') });
  const batch: PendingEvent[] = [];
  for (let i = 0; i < count; i++) {
    batch.push({
      type: 'receipt',
      at: '2026-11-21T14:00:00.000Z',
      receipt: { session: 'old-session', host: 'old-host', conversation: 'old-talk-abcd', turn: 1 + (i % 50), status: 'delivered', attempt: 1 },
    });
  }
  log.append(batch);
  await log.close();
  return dataDir;
}

describe('links', () => {
  it('welcomes, then fans every durable event out to every link exactly once', async () => {
    const { relay, linux, win } = await twoHosts();
    const a = await r.link(relay, linux.signer);
    const b = await r.link(relay, win.signer);
    const w = await r.link(relay, win.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'watch', epoch: null, cursor: 0 } });
    for (const l of [a, b, w])
      expect(await l.welcome()).toEqual({
        t: 'welcome',
        protocol: PROTOCOL_VERSION,
        relayId: relay.relay.relayId,
        epoch: relay.relay.epoch,
        head: 6,
        resync: false,
      });
    const id = await relay.open(linux, 'codex-linux', ['claude-win']);
    let head = await post(relay, win, id, 'claude-win', 2);
    head = await post(relay, linux, id, 'codex-linux', 3);
    for (const l of [a, b, w]) {
      await l.waitForSeq(head);
      expectExactlyOnceInOrder(l, 1, head);
    }
    expect(a.events).toEqual(b.events);
    const fromHttp = await relay.request(linux.signer, 'GET', '/v1/events');
    expect(a.events).toEqual(fromHttp.body.events);
  });

  it('resumes a link dropped in the middle of a long replay, exactly once and in order', async () => {
    const dataDir = await prefilled(80_000);
    const relay = await r.start({ dataDir });
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    await relay.join(host, 'claude-linux');
    const first = await r.link(relay, host.signer);
    // Drop the link from our side once part of the backlog has arrived.
    await waitFor('part of the backlog', () => first.events.length >= 5_000);
    first.ws.terminate();
    await first.closed;
    const got = first.events.length;
    expect(got).toBeLessThan(80_000);
    const cursor = first.events[got - 1]?.seq ?? 0;
    expectExactlyOnceInOrder(first, 1, cursor);

    const second = await r.link(relay, host.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: relay.relay.epoch, cursor } });
    const welcome = await second.welcome();
    expect(welcome.resync).toBe(false);
    // New events arrive while the replay is still running: they follow without gap or duplicate.
    const id = await relay.open(host, 'codex-linux', ['claude-linux']);
    const last = await post(relay, host, id, 'claude-linux', 2);
    await second.waitForSeq(last, 60_000);
    expectExactlyOnceInOrder(second, cursor + 1, last);
    expect([...first.events, ...second.events].map((e) => e.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  });

  it('waits for a slow reader instead of buffering without bound, and loses nothing', async () => {
    const dataDir = await prefilled(40_000);
    const relay = await r.start({ dataDir });
    const host = await relay.enroll('linux-box');
    const link = await r.link(relay, host.signer, { hello: null });
    // Stop reading from the socket: the relay's send buffer fills up.
    const socket = (link.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    link.send({ t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: null, cursor: 0 });
    await waitFor('the relay to wait for the slow reader', () => relay.logs.some((l) => l.includes('waiting for it to drain')));
    socket.resume();
    await link.waitForSeq(40_002, 60_000);
    expectExactlyOnceInOrder(link, 1, 40_002);
    expect(link.closeCode).toBeNull();
  });

  it('tells a client from another epoch to resync, and starts it from seq 1', async () => {
    const { relay, linux } = await twoHosts();
    const link = await r.link(relay, linux.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: 'an-old-epoch', cursor: 4 } });
    expect(await link.welcome()).toMatchObject({ resync: true, epoch: relay.relay.epoch, head: 6 });
    await link.waitForSeq(6);
    expectExactlyOnceInOrder(link, 1, 6);
    // A cursor beyond the head cannot come from this log either.
    const ahead = await r.link(relay, linux.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: relay.relay.epoch, cursor: 99 } });
    expect((await ahead.welcome()).resync).toBe(true);
  });

  it('resends on request (replay) and records acks and presence', async () => {
    const { relay, linux } = await twoHosts();
    const link = await r.link(relay, linux.signer);
    await link.waitForSeq(6);
    link.send({ t: 'ack', seq: 6 });
    link.send({ t: 'presence', sessions: { 'codex-linux': 'offline' } });
    link.send({ t: 'replay', after: 3 });
    await waitFor('the replayed events', () => link.events.length >= 9);
    expect(link.events.slice(6).map((e) => e.seq)).toEqual([4, 5, 6]);
    const hosts = await relay.request(relay.admin, 'GET', '/v1/hosts');
    expect(hosts.body.hosts.find((h: { name: string }) => h.name === 'linux-box')).toMatchObject({ connected: true, cursor: 6 });
    const sessions = async () =>
      (await relay.request(relay.admin, 'GET', '/v1/sessions')).body.sessions.map((s: { name: string; online: boolean }) => [s.name, s.online]);
    expect(await sessions()).toEqual([
      ['codex-linux', false],
      ['claude-win', false],
    ]);
    link.send({ t: 'presence', sessions: { 'codex-linux': 'online' } });
    await waitFor('codex-linux online', async () => (await sessions())[0][1] === true);
    link.send({ t: 'presence', sessions: { 'claude-win': 'offline' } });
    expect((await link.waitForMessage((m) => m.t === 'error', 'an error')).code).toBe('SESSION_NOT_OWNED');
    link.close();
    await waitFor('codex-linux offline once its agent left', async () => (await sessions())[0][1] === false);
  });

  it('shows what a session is doing while its agent is linked, and refuses states of sessions of other hosts', async () => {
    const { relay, linux } = await twoHosts();
    const link = await r.link(relay, linux.signer);
    await link.waitForSeq(6);
    const codex = async () => (await relay.request(relay.admin, 'GET', '/v1/sessions')).body.sessions.find((s: { name: string }) => s.name === 'codex-linux');
    expect((await codex()).state).toBeUndefined();
    const since = '2026-12-06T05:00:00.000Z';
    link.send({ t: 'presence', sessions: { 'codex-linux': 'online' }, states: { 'codex-linux': { state: 'working', since } } });
    await waitFor('codex-linux working', async () => (await codex()).state === 'working');
    expect(await codex()).toMatchObject({ online: true, state: 'working', stateSince: since });
    link.send({ t: 'presence', sessions: {}, states: { 'claude-win': { state: 'idle', since } } });
    expect((await link.waitForMessage((m) => m.t === 'error', 'an error')).code).toBe('SESSION_NOT_OWNED');
    link.close();
    await waitFor('no state once its agent left', async () => (await codex()).state === undefined);
  });

  it('takes receipts from the agent link', async () => {
    const { relay, linux, win } = await twoHosts();
    const id = await relay.open(win, 'claude-win', ['codex-linux']);
    const link = await r.link(relay, linux.signer);
    await link.waitForSeq(7);
    link.send({ t: 'receipt', receipt: { session: 'codex-linux', conversation: id, turn: 2, status: 'delivered', attempt: 1 } });
    await link.waitForSeq(8);
    expect(link.events[7]).toMatchObject({
      seq: 8,
      type: 'receipt',
      receipt: { session: 'codex-linux', host: 'linux-box', conversation: id, turn: 2, status: 'delivered' },
    });
    link.send({ t: 'receipt', receipt: { session: 'claude-win', conversation: id, turn: 2, status: 'delivered', attempt: 1 } });
    link.send({ t: 'receipt', receipt: { session: 'codex-linux', conversation: 'nope-abcd', turn: 2, status: 'delivered', attempt: 1 } });
    await waitFor('two errors', () => link.messages.filter((m) => m.t === 'error').length >= 2);
    expect(link.messages.filter((m) => m.t === 'error').map((m) => m.code)).toEqual(['SESSION_NOT_OWNED', 'CONVERSATION_NOT_FOUND']);
    const receipts = await relay.request(linux.signer, 'GET', `/v1/conversations/${id}/receipts`);
    expect(receipts.body.receipts).toHaveLength(1);
    // Watch links are read-only.
    const watch = await r.link(relay, linux.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'watch', epoch: null, cursor: 0 } });
    await watch.welcome();
    watch.send({ t: 'ack', seq: 1 });
    expect((await watch.waitForMessage((m) => m.t === 'error', 'an error')).code).toBe('INVALID_REQUEST');
  });

  it('replaces an older agent link with a newer one (4002) and caps watch links', async () => {
    const { relay, linux } = await twoHosts();
    const old = await r.link(relay, linux.signer);
    await old.welcome();
    const fresh = await r.link(relay, linux.signer);
    await fresh.welcome();
    expect((await old.closed).code).toBe(4002);
    expect(fresh.closeCode).toBeNull();
    const hello = { t: 'hello', protocol: PROTOCOL_VERSION, role: 'watch', epoch: null, cursor: 0 };
    const watchers = [];
    for (let i = 0; i < 8; i++) watchers.push(await r.link(relay, linux.signer, { hello }));
    for (const w of watchers) await w.welcome();
    const ninth = await r.link(relay, linux.signer, { hello });
    expect((await ninth.closed).code).toBe(4003);
    expect(ninth.messages.find((m) => m.t === 'error')?.code).toBe('RATE_LIMITED');
    // The admin key may watch but not be an agent.
    const admin = await r.link(relay, relay.admin);
    expect((await admin.closed).code).toBe(4003);
  });

  it('closes every link of a revoked host at once (4001)', async () => {
    const { relay, linux, win } = await twoHosts();
    const agent = await r.link(relay, linux.signer);
    const watch = await r.link(relay, linux.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'watch', epoch: null, cursor: 0 } });
    const other = await r.link(relay, win.signer);
    for (const l of [agent, watch, other]) await l.welcome();
    expect((await relay.request(relay.admin, 'POST', '/v1/hosts/linux-box/revoke')).status).toBe(200);
    expect((await agent.closed).code).toBe(4001);
    expect((await watch.closed).code).toBe(4001);
    await other.waitForMessage((m) => m.t === 'events' && m.events.some((e: { type: string }) => e.type === 'host.revoked'), 'the revocation event');
    expect(other.closeCode).toBeNull();
  });

  it('closes a link that sends no hello in time (4003)', async () => {
    const relay = await r.start({ helloTimeoutMs: 200 });
    const host = await relay.enroll('linux-box');
    const mute = await r.link(relay, host.signer, { hello: null });
    // Long before the default 10 s: the option is what closed it.
    const closed = await waitFor('the relay to give up on the hello', () => (mute.closeCode === null ? undefined : mute.closed), { timeoutMs: 5_000 });
    expect(closed).toEqual({ code: 4003, reason: 'no hello in time' });
    expect(mute.messages).toEqual([]);
  });

  it('cuts off a reader that stays stuck, instead of waiting for it for ever (4006)', async () => {
    const dataDir = await prefilled(40_000);
    const relay = await r.start({ dataDir, stuckMs: 300 });
    const host = await relay.enroll('linux-box');
    const connected = async () =>
      ((await relay.request(relay.admin, 'GET', '/v1/hosts')).body.hosts as Array<{ name: string; connected: boolean }>).find((h) => h.name === 'linux-box')
        ?.connected;
    const link = await r.link(relay, host.signer, { hello: null });
    const socket = (link.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    link.send({ t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: null, cursor: 0 });
    await waitFor('the link to be up', async () => (await connected()) === true);
    // The reader never reads again: the relay gives up on it and lets the host go.
    await waitFor('the relay to drop the stuck link', async () => (await connected()) === false, { timeoutMs: 10_000 });
    socket.resume();
    await link.closed;
    expect(link.events.length).toBeLessThan(40_002);
  });

  it('terminates a peer that stops answering pings (4005)', async () => {
    const relay = await r.start({ heartbeatMs: 100 });
    const host = await relay.enroll('linux-box');
    const other = await relay.enroll('win-laptop');
    const silent = await r.link(relay, host.signer, { autoPong: false });
    const lively = await r.link(relay, other.signer);
    await silent.welcome();
    await lively.welcome();
    expect((await silent.closed).code).toBe(4005);
    expect(lively.closeCode).toBeNull();
  });

  it('survives hostile frames', async () => {
    const { relay, linux } = await twoHosts();
    const noHello = await r.link(relay, linux.signer, { hello: { t: 'ack', seq: 1 } });
    expect((await noHello.closed).code).toBe(4003);
    const badProtocol = await r.link(relay, linux.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION + 1, role: 'agent', epoch: null, cursor: 0 } });
    expect((await badProtocol.closed).code).toBe(4003);
    expect(badProtocol.messages.find((m) => m.t === 'error')?.code).toBe('PROTOCOL_TOO_NEW');
    const helloGarbage = await r.link(relay, linux.signer, { hello: 'not json' });
    expect((await helloGarbage.closed).code).toBe(4003);

    const link = await r.link(relay, linux.signer);
    await link.welcome();
    link.send({ t: 'dance' });
    link.send({ t: 'ack', seq: -1 });
    link.send({ t: 'ack', seq: 1e300 });
    link.send({ t: 'presence', sessions: { 'Bad Name': 'online' } });
    link.send({ t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: null, cursor: 0 });
    await waitFor('five errors', () => link.messages.filter((m) => m.t === 'error').length >= 5);
    expect(link.messages.filter((m) => m.t === 'error').map((m) => m.code)).toEqual([
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      'INVALID_NAME',
      'INVALID_REQUEST',
    ]);
    expect(link.closeCode).toBeNull();
    link.send('{"t": "ack", "seq":');
    expect((await link.closed).code).toBe(4004);

    const binary = await r.link(relay, linux.signer);
    await binary.welcome();
    binary.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await binary.closed).code).toBe(4004);

    const huge = await r.link(relay, linux.signer);
    await huge.welcome();
    huge.send({ t: 'presence', sessions: { x: 'a'.repeat(300 * 1024) } });
    // Oversize frames are cut off by the WebSocket layer with its standard code.
    expect((await huge.closed).code).toBe(1009);

    expect((await relay.request(null, 'GET', '/v1/health')).status).toBe(200);
    const still = await r.link(relay, linux.signer);
    expect((await still.welcome()).t).toBe('welcome');
  });

  it('closes a link that floods it with messages (4004)', async () => {
    const relay = await r.start({ rateLimit: { perSecond: 1, burst: 20 } });
    const host = await relay.enroll('linux-box');
    const link = await r.link(relay, host.signer);
    await link.welcome();
    for (let i = 0; i < 100; i++) link.send({ t: 'ack', seq: 0 });
    expect((await link.closed).code).toBe(4004);
  });
});
