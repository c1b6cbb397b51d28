// Starting, restarting and option checks of a whole relay.
import { describe, expect, it } from 'vitest';
import { relays } from './__fixtures__/harness.js';
import { startRelay } from './relay.js';

const r = relays();

describe('relay', () => {
  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const relay = await r.start();
    expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(relay.relay.port).toBe(Number(new URL(relay.url).port));
  });

  it('rebuilds identical state after a restart, with the same identity', async () => {
    const relay = await r.start();
    const linux = await relay.enroll('linux-box');
    const win = await relay.enroll('win-laptop');
    await relay.join(linux, 'codex-linux');
    await relay.join(win, 'claude-win');
    const id = await relay.open(linux, 'codex-linux', ['claude-win'], 'opening');
    await relay.request(win.signer, 'POST', `/v1/conversations/${id}/turns`, {
      as: 'claude-win',
      expectedTurn: 2,
      idempotencyKey: 'k2',
      body: 'reply',
      propose: 'do it',
    });
    await relay.request(relay.admin, 'POST', `/v1/conversations/${id}/moderate`, { action: { type: 'extend', by: 5 } });
    const k3 = { as: 'codex-linux', expectedTurn: 3, idempotencyKey: 'k3', body: 'agreed', agree: true };
    const third = await relay.request(linux.signer, 'POST', `/v1/conversations/${id}/turns`, k3);
    expect(third.status).toBe(201);
    await relay.request(win.signer, 'POST', '/v1/receipts', {
      session: 'claude-win',
      conversation: id,
      turn: 3,
      status: 'failed',
      reason: 'pane-gone',
      attempt: 2,
    });
    await relay.request(relay.admin, 'POST', '/v1/hosts/win-laptop/revoke');
    const read = async (t: typeof relay) => ({
      conversation: (await t.request(t.admin, 'GET', `/v1/conversations/${id}`)).body,
      markdown: (await t.request(t.admin, 'GET', `/v1/conversations/${id}/markdown`)).text,
      receipts: (await t.request(t.admin, 'GET', `/v1/conversations/${id}/receipts`)).body,
      sessions: (await t.request(t.admin, 'GET', '/v1/sessions')).body,
      hosts: (await t.request(t.admin, 'GET', '/v1/hosts')).body.hosts.map((h: { name: string; enrolledAt: string; revokedAt: string | null }) => [
        h.name,
        h.enrolledAt,
        h.revokedAt,
      ]),
      events: (await t.request(t.admin, 'GET', '/v1/events')).body,
    });
    const before = await read(relay);
    await r.stop(relay);
    const again = await r.start({ dataDir: relay.dataDir });
    expect([again.relay.relayId, again.relay.epoch]).toEqual([relay.relay.relayId, relay.relay.epoch]);
    expect(await read(again)).toEqual(before);
    // The idempotency keys survived too.
    const retry = await again.request(linux.signer, 'POST', `/v1/conversations/${id}/turns`, k3);
    expect([retry.status, retry.body.duplicate, retry.body.seq, retry.body.turn]).toEqual([200, true, third.body.seq, third.body.turn]);
  });

  it('refuses bad options with CONFIG_INVALID', async () => {
    const dir = await r.dir();
    for (const bad of [
      { port: 70_000 },
      { port: 1.5 },
      { heartbeatMs: 0 },
      { logLevel: 'loud' },
      { rateLimit: { perSecond: 0, burst: 1 } },
      { allowedOrigins: ['*'] },
      { host: 'a b' },
    ]) {
      await expect(startRelay({ dataDir: dir, ...bad }), JSON.stringify(bad)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
    await expect(startRelay({ dataDir: '' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('reports a port in use and releases the data dir', async () => {
    const first = await r.start();
    const dataDir = `${await r.dir()}/relay`;
    await expect(startRelay({ dataDir, port: first.relay.port, logLevel: 'silent' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: `port ${first.relay.port} on 127.0.0.1 is already in use`,
    });
    // Nothing was left locked.
    const second = await r.start({ dataDir });
    expect(second.relay.port).not.toBe(first.relay.port);
  });
});
