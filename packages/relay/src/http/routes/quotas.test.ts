// Per-host quotas, posting over HTTP and over the agent link alike: open conversations, bytes per hour, bytes stored. Each limit is
// refused with QUOTA_EXCEEDED naming it, changes nothing, binds only the host over it, and is
// counted again from the log after a restart. With the defaults, the flood of the report (one
// host opening 2,000 conversations with 64 KiB bodies) is refused at its 201st conversation.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LIMITS } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { relays, type TestHost, type TestRelay } from '../../__fixtures__/harness.js';
import { POST_WAYS, postThrough, type PostWay } from '../../__fixtures__/post-ways.js';
import { DEFAULT_QUOTAS } from '../../limits/quotas.js';

const r = relays();
let keys = 0;

type RelayOptions = Parameters<typeof r.start>[0];

function open(relay: TestRelay, host: TestHost, as: string, body: string) {
  return relay.request(host.signer, 'POST', '/v1/conversations', {
    as,
    topic: 'flood',
    with: [as === 'm1' ? 'v1' : 'm1'],
    body,
    idempotencyKey: `k${keys++}`,
  });
}

/** A relay with a flooding host (session m1) and its victim (v1); posts go `way` when given. */
async function twoHosts(options: RelayOptions = {}, way?: PostWay) {
  const relay = await r.start(options);
  if (way) postThrough(relay, way, (signer) => r.link(relay, signer));
  const mallory = await relay.enroll('mallory');
  const victim = await relay.enroll('victim');
  await relay.join(mallory, 'm1');
  await relay.join(victim, 'v1');
  return { relay, mallory, victim };
}

describe.each(POST_WAYS)('posting over %s', (way: PostWay) => {
  const setup = (options: RelayOptions = {}) => twoHosts(options, way);

  describe('per-host quotas', () => {
    it('open conversations: the one past the limit is refused, naming the limit; closing one makes room', async () => {
      const { relay, mallory, victim } = await setup({ quotas: { openConversations: 3 } });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await open(relay, mallory, 'm1', `conversation ${i}`);
        expect(res.status).toBe(201);
        ids.push(res.body.conversation.id);
      }
      const refused = await open(relay, mallory, 'm1', 'one too many');
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('QUOTA_EXCEEDED');
      expect(refused.body.message).toBe('host mallory has 3 open conversations; the limit (openConversations) is 3');
      expect(refused.body.hint).toMatch(/close conversations/);
      expect((await relay.request(relay.admin, 'GET', '/v1/conversations')).body.conversations).toHaveLength(3);
      // Another host is not bound by mallory's use.
      expect((await open(relay, victim, 'v1', 'mine')).status).toBe(201);
      const closed = await relay.request(mallory.signer, 'POST', `/v1/conversations/${ids[0]}/close`, { as: 'm1', resolution: 'done' });
      expect(closed.status).toBe(200);
      expect((await open(relay, mallory, 'm1', 'room again')).status).toBe(201);
      // After a restart the count comes from the log.
      await r.stop(relay);
      const again = await r.start({ dataDir: relay.dataDir, quotas: { openConversations: 3 } });
      const after = await again.request(mallory.signer, 'POST', '/v1/conversations', {
        as: 'm1',
        topic: 'x',
        with: ['v1'],
        body: 'x',
        idempotencyKey: 'after',
      });
      expect(after.body.code).toBe('QUOTA_EXCEEDED');
    });

    it('bytes per hour: a post past it is refused and nothing is stored', async () => {
      const { relay, mallory } = await setup({ quotas: { bytesPerHour: 100 * 1024 } });
      const body = 'x'.repeat(40 * 1024);
      const first = await open(relay, mallory, 'm1', body);
      expect(first.status).toBe(201);
      const id = first.body.conversation.id;
      expect((await open(relay, mallory, 'm1', body)).status).toBe(201);
      const refused = await open(relay, mallory, 'm1', body);
      expect(refused.body).toMatchObject({
        code: 'QUOTA_EXCEEDED',
        message: 'host mallory posted 80 KiB in the last hour; the limit (bytesPerHour) is 100 KiB',
      });
      const v = await relay.request(relay.admin, 'GET', `/v1/conversations/${id}`);
      expect(v.body.conversation.turns).toHaveLength(1);
      expect((await relay.request(relay.admin, 'GET', '/v1/conversations')).body.conversations).toHaveLength(2);
    });

    it('stored bytes: counted over every conversation, closed or not, and after a restart', async () => {
      const options = { quotas: { storedBytes: 100 * 1024, openConversations: 1 } };
      const { relay, mallory } = await setup(options);
      const body = 'y'.repeat(40 * 1024);
      for (let i = 0; i < 2; i++) {
        const res = await open(relay, mallory, 'm1', body);
        expect(res.status).toBe(201);
        await relay.request(mallory.signer, 'POST', `/v1/conversations/${res.body.conversation.id}/close`, { as: 'm1', resolution: 'done' });
      }
      const refused = await open(relay, mallory, 'm1', body);
      expect(refused.body).toMatchObject({ code: 'QUOTA_EXCEEDED', message: 'host mallory has 80 KiB of turns stored; the limit (storedBytes) is 100 KiB' });
      await r.stop(relay);
      const again = await r.start({ dataDir: relay.dataDir, ...options });
      const after = await again.request(mallory.signer, 'POST', '/v1/conversations', { as: 'm1', topic: 'x', with: ['v1'], body, idempotencyKey: 'after' });
      expect(after.body.code).toBe('QUOTA_EXCEEDED');
    });

    it('a repeated post (same idempotency key) is answered with the original even at the limit', async () => {
      const { relay, mallory } = await setup({ quotas: { openConversations: 1 } });
      const req = { as: 'm1', topic: 'once', with: ['v1'], body: 'hello', idempotencyKey: 'same' };
      expect((await relay.request(mallory.signer, 'POST', '/v1/conversations', req)).status).toBe(201);
      const again = await relay.request(mallory.signer, 'POST', '/v1/conversations', req);
      expect([again.status, again.body.duplicate]).toEqual([200, true]);
    });

    it('the defaults refuse the flood of 2,000 conversations with 64 KiB bodies at conversation 201', { timeout: 120_000 }, async () => {
      expect(DEFAULT_QUOTAS).toEqual({ openConversations: 200, bytesPerHour: 32 * 1024 * 1024, storedBytes: 256 * 1024 * 1024 });
      const { relay, mallory } = await setup();
      const body = 'z'.repeat(LIMITS.bodyBytes);
      let refusedAt = 0;
      let code = '';
      for (let i = 1; i <= 2000 && refusedAt === 0; i++) {
        const res = await open(relay, mallory, 'm1', body);
        if (res.status !== 201) [refusedAt, code] = [i, res.body.code];
      }
      expect([refusedAt, code]).toEqual([201, 'QUOTA_EXCEEDED']);
      // Closing each as it goes does not get around it: the hourly bytes stop it at 513 (32 MiB / 64 KiB + 1).
      const second = await setup();
      refusedAt = 0;
      for (let i = 1; i <= 2000 && refusedAt === 0; i++) {
        const res = await open(second.relay, second.mallory, 'm1', body);
        if (res.status !== 201) {
          refusedAt = i;
          expect(res.body.message).toMatch(/\(bytesPerHour\)/);
          break;
        }
        await second.relay.request(second.mallory.signer, 'POST', `/v1/conversations/${res.body.conversation.id}/close`, { as: 'm1', resolution: 'x' });
      }
      expect(refusedAt).toBe(513);
      process.stdout.write(`quotas: flood refused at conversation 201 (open conversations), at 513 when closing each (bytes per hour)\n`);
    });
  });
});

describe('per-host quotas at start', () => {
  const setup = (options: RelayOptions = {}) => twoHosts(options);

  it('every count is rebuilt the same from the log alone and from a snapshot, bodies never read again', async () => {
    const { relay, mallory, victim } = await setup({ snapshotAtStop: 1 });
    // Multi-byte text and a proposal of its own text: bytes are UTF-8, and a proposal counts only when it differs from the body.
    const body = 'é'.repeat(20 * 1024);
    const first = await open(relay, mallory, 'm1', body);
    const id = first.body.conversation.id;
    expect(
      (
        await relay.request(victim.signer, 'POST', `/v1/conversations/${id}/turns`, {
          as: 'v1',
          expectedTurn: 2,
          idempotencyKey: 'p2',
          body: 'ok',
          propose: 'ship it',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await relay.request(mallory.signer, 'POST', `/v1/conversations/${id}/turns`, {
          as: 'm1',
          expectedTurn: 3,
          idempotencyKey: 'p3',
          body: 'é'.repeat(1024),
          propose: '',
        })
      ).status,
    ).toBe(201);
    expect((await relay.request(mallory.signer, 'POST', `/v1/conversations/${id}/close`, { as: 'm1', resolution: 'done' })).status).toBe(200);
    const second = (await open(relay, mallory, 'm1', 'x'.repeat(30 * 1024))).body.conversation.id;
    await r.stop(relay);
    // mallory: 1 open conversation, 40 + 2 + 30 KiB posted within the hour and stored.
    const post = (at: TestRelay, kib: number, key: string) =>
      at.request(mallory.signer, 'POST', `/v1/conversations/${second}/turns`, { as: 'm1', expectedTurn: 2, idempotencyKey: key, body: 'w'.repeat(kib * 1024) });
    for (const from of ['snapshot', 'log'] as const) {
      if (from === 'log') await rm(join(relay.dataDir, 'snapshot.json'));
      const a = await r.start({ dataDir: relay.dataDir, quotas: { openConversations: 1, bytesPerHour: 1024 * 1024, storedBytes: 90 * 1024 } });
      expect(a.logs.join('\n')).toMatch(from === 'log' ? /"fromSnapshot":0/ : /"fromSnapshot":[1-9]/);
      expect((await open(a, mallory, 'm1', 'one more')).body.message).toBe('host mallory has 1 open conversations; the limit (openConversations) is 1');
      expect((await post(a, 20, `s-${from}`)).body.message).toBe('host mallory has 72 KiB of turns stored; the limit (storedBytes) is 90 KiB');
      await r.stop(a);
      const b = await r.start({ dataDir: relay.dataDir, quotas: { bytesPerHour: 90 * 1024, storedBytes: 1024 * 1024 } });
      expect((await post(b, 20, `h-${from}`)).body.message).toBe('host mallory posted 72 KiB in the last hour; the limit (bytesPerHour) is 90 KiB');
      await r.stop(b);
    }
  });
});
