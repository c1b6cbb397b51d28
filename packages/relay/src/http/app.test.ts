// Every HTTP route outside conversations: happy paths, documented errors, and hostile input.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { relays } from '../__fixtures__/harness.js';

const r = relays();

describe('health, invites, hosts', () => {
  it('answers health to anyone', async () => {
    const relay = await r.start();
    const res = await relay.request(null, 'GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      relayId: relay.relay.relayId,
      epoch: relay.relay.epoch,
      protocol: PROTOCOL_VERSION,
      protocols: [PROTOCOL_VERSION - 1, PROTOCOL_VERSION],
      version: '0.1.0',
      head: 0,
      time: expect.any(String),
    });
    expect(Math.abs(Date.parse(res.body.time) - Date.now())).toBeLessThan(60_000);
  });

  it('mints invites with a default and a chosen lifetime', async () => {
    const relay = await r.start();
    const plain = await relay.request(relay.admin, 'POST', '/v1/invites');
    expect(plain.status).toBe(201);
    expect(Math.abs(Date.parse(plain.body.expiresAt) - Date.now() - 3_600_000)).toBeLessThan(60_000);
    const bound = await relay.request(relay.admin, 'POST', '/v1/invites', { host: 'linux-box', expiresIn: 600 });
    expect(bound.body).toMatchObject({ host: 'linux-box', id: expect.any(String), invite: expect.stringMatching(/^[\w-]+\.[\w-]+$/) });
    const tooShort = await relay.request(relay.admin, 'POST', '/v1/invites', { expiresIn: 5 });
    expect([tooShort.status, tooShort.body.code]).toEqual([400, 'INVALID_REQUEST']);
    const badName = await relay.request(relay.admin, 'POST', '/v1/invites', { host: 'Linux Box' });
    expect([badName.status, badName.body.code]).toEqual([400, 'INVALID_NAME']);
    // The log keeps a hash of the secret, never the secret.
    const log = await readFile(join(relay.dataDir, 'events.log'), 'utf8');
    expect(log).toContain(plain.body.id);
    expect(log).not.toContain(plain.body.invite.split('.')[1]);
  });

  it('lists hosts and revokes them', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const list = await relay.request(host.signer, 'GET', '/v1/hosts');
    expect(list.body.hosts).toEqual([
      { name: 'linux-box', enrolledAt: expect.any(String), revokedAt: null, connected: false, cursor: null, lastSeenAt: expect.any(String) },
    ]);
    const unknown = await relay.request(relay.admin, 'POST', '/v1/hosts/nobody/revoke');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'HOST_NOT_FOUND']);
    const badName = await relay.request(relay.admin, 'POST', '/v1/hosts/NO_BODY/revoke');
    expect([badName.status, badName.body.code]).toEqual([400, 'INVALID_NAME']);
    await relay.join(host, 'codex-linux');
    const revoked = await relay.request(relay.admin, 'POST', '/v1/hosts/linux-box/revoke', {});
    expect(revoked.status).toBe(200);
    expect(revoked.body.host).toMatchObject({ name: 'linux-box', revokedAt: expect.any(String), connected: false });
    // Revoking again changes nothing.
    const again = await relay.request(relay.admin, 'POST', '/v1/hosts/linux-box/revoke');
    expect([again.status, again.body.host.revokedAt]).toEqual([200, revoked.body.host.revokedAt]);
    // Its sessions are gone with it.
    expect((await relay.request(relay.admin, 'GET', '/v1/sessions')).body.sessions).toEqual([]);
  });
});

describe('sessions', () => {
  it('registers, re-registers, lists and removes', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const wake = { type: 'tmux', pane: '%3', socket: '/tmp/tmux-1000/default', panePid: 4242, agentCommand: 'codex' };
    const reg = await relay.request(host.signer, 'POST', '/v1/sessions', { name: 'codex-linux', kind: 'codex', wake });
    expect(reg.status).toBe(201);
    expect(reg.body.session).toEqual({ name: 'codex-linux', host: 'linux-box', kind: 'codex', wake, joinedAt: expect.any(String) });
    const update = await relay.request(host.signer, 'POST', '/v1/sessions', { name: 'codex-linux', kind: 'other', wake: { type: 'none' } });
    expect(update.status).toBe(201);
    const list = await relay.request(relay.admin, 'GET', '/v1/sessions');
    // Other hosts see the kind of wake target, not where the terminal is.
    expect(list.body.sessions).toEqual([
      { name: 'codex-linux', host: 'linux-box', kind: 'other', wake: { type: 'none' }, joinedAt: expect.any(String), online: false },
    ]);
    const del = await relay.request(host.signer, 'DELETE', '/v1/sessions/codex-linux');
    expect([del.status, del.body.session.name]).toEqual([200, 'codex-linux']);
    const gone = await relay.request(host.signer, 'DELETE', '/v1/sessions/codex-linux');
    expect([gone.status, gone.body.code]).toEqual([404, 'SESSION_NOT_FOUND']);
  });

  it('lets the admin remove any session but register none', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    const reg = await relay.request(relay.admin, 'POST', '/v1/sessions', { name: 'admin-s', kind: 'other', wake: { type: 'none' } });
    expect([reg.status, reg.body.code]).toEqual([403, 'SESSION_NOT_OWNED']);
    expect((await relay.request(relay.admin, 'DELETE', '/v1/sessions/codex-linux')).status).toBe(200);
  });

  it('refuses bad registrations', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const cases: [unknown, number, string][] = [
      [{ name: 'con', kind: 'other', wake: { type: 'none' } }, 400, 'INVALID_NAME'],
      [{ name: 'a'.repeat(65), kind: 'other', wake: { type: 'none' } }, 400, 'INVALID_NAME'],
      [{ name: 'ok-name', kind: 'vim', wake: { type: 'none' } }, 400, 'INVALID_REQUEST'],
      [{ name: 'ok-name', kind: 'other', wake: { type: 'tmux', pane: 'main', socket: '/tmp/s' } }, 400, 'INVALID_REQUEST'],
      [{ name: 'ok-name', kind: 'other', wake: { type: 'none' }, host: 'win-laptop' }, 400, 'INVALID_REQUEST'],
      [{ name: 'ok-name', kind: 'other' }, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const res = await relay.request(host.signer, 'POST', '/v1/sessions', body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await relay.request(host.signer, 'GET', '/v1/sessions')).body.sessions).toEqual([]);
  });
});

describe('events and receipts', () => {
  it('pages through durable events', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    const all = await relay.request(host.signer, 'GET', '/v1/events');
    expect(all.status).toBe(200);
    expect(all.body.head).toBe(3);
    expect(all.body.events.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [1, 'invite.created'],
      [2, 'host.enrolled'],
      [3, 'session.registered'],
    ]);
    const page = await relay.request(host.signer, 'GET', '/v1/events?after=1&limit=1');
    expect(page.body.events.map((e: { seq: number }) => e.seq)).toEqual([2]);
    expect((await relay.request(host.signer, 'GET', '/v1/events?after=3')).body).toEqual({ events: [], head: 3 });
    for (const q of ['limit=0', 'limit=1001', 'after=-1', 'after=abc', 'after=1e3']) {
      const res = await relay.request(host.signer, 'GET', `/v1/events?${q}`);
      expect([res.status, res.body.code], q).toEqual([400, 'INVALID_REQUEST']);
    }
  });

  it('records receipts and lists them per conversation', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    await relay.join(host, 'claude-linux');
    const id = await relay.open(host, 'codex-linux', ['claude-linux']);
    const res = await relay.request(host.signer, 'POST', '/v1/receipts', {
      session: 'claude-linux',
      conversation: id,
      turn: 2,
      status: 'deferred',
      reason: 'copy-mode',
      attempt: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body.seq).toBe(6);
    const list = await relay.request(host.signer, 'GET', `/v1/conversations/${id}/receipts`);
    expect(list.body.receipts).toEqual([
      {
        session: 'claude-linux',
        host: 'linux-box',
        conversation: id,
        turn: 2,
        status: 'deferred',
        reason: 'copy-mode',
        attempt: 1,
        seq: 6,
        at: expect.any(String),
      },
    ]);
    const missing = await relay.request(host.signer, 'POST', '/v1/receipts', {
      session: 'claude-linux',
      conversation: 'nope-abcd',
      turn: 2,
      status: 'delivered',
      attempt: 1,
    });
    expect([missing.status, missing.body.code]).toEqual([404, 'CONVERSATION_NOT_FOUND']);
    const badStatus = await relay.request(host.signer, 'POST', '/v1/receipts', {
      session: 'claude-linux',
      conversation: id,
      turn: 2,
      status: 'done',
      attempt: 1,
    });
    expect([badStatus.status, badStatus.body.code]).toEqual([400, 'INVALID_REQUEST']);
  });
});

describe('hostile requests', () => {
  it('answers garbage with clear errors and keeps serving', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    await relay.join(host, 'claude-linux');
    const id = await relay.open(host, 'codex-linux', ['claude-linux']);
    const path = `/v1/conversations/${id}/turns`;
    const good = { as: 'claude-linux', expectedTurn: 2, idempotencyKey: 'k', body: 'hi' };
    const cases: [string | unknown, Record<string, string>, number, string][] = [
      ['{"as": ', {}, 400, 'INVALID_REQUEST'],
      ['[]', {}, 400, 'INVALID_REQUEST'],
      ['null', {}, 400, 'INVALID_REQUEST'],
      ['', {}, 400, 'INVALID_REQUEST'],
      [JSON.stringify(good), { 'content-type': 'text/plain' }, 400, 'INVALID_REQUEST'],
      [{ ...good, author: 'codex-linux' }, {}, 400, 'INVALID_REQUEST'],
      ['{"as":"claude-linux","expectedTurn":1e400,"idempotencyKey":"k","body":"hi"}', {}, 400, 'INVALID_REQUEST'],
      [{ ...good, expectedTurn: 2 ** 60 }, {}, 400, 'INVALID_REQUEST'],
      [{ ...good, expectedTurn: '2' }, {}, 400, 'INVALID_REQUEST'],
      [{ ...good, body: 'x'.repeat(70_000) }, {}, 413, 'BODY_TOO_LARGE'],
      [{ ...good, body: 'é'.repeat(40_000) }, {}, 413, 'BODY_TOO_LARGE'],
      [{ ...good, body: 'x'.repeat(200_000) }, {}, 413, 'BODY_TOO_LARGE'],
      [{ ...good, body: 'nul \u0000 inside' }, {}, 422, 'INVALID_TEXT'],
      [{ ...good, body: 'lone \ud800 surrogate' }, {}, 422, 'INVALID_TEXT'],
      [{ ...good, body: '   ' }, {}, 400, 'EMPTY_BODY'],
      [`${'['.repeat(60_000)}${']'.repeat(60_000)}`, {}, 400, 'INVALID_REQUEST'],
      [{ ...good, __proto__: { admin: true }, constructor: 1 }, {}, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, headers, status, code] of cases) {
      const res = await relay.request(host.signer, 'POST', path, body, headers);
      expect([res.status, res.body?.code], String(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 80)).toEqual([status, code]);
      expect(typeof res.body.message).toBe('string');
      expect(typeof res.body.hint).toBe('string');
    }
    // Nothing changed, and the relay still answers.
    const conv = await relay.request(host.signer, 'GET', `/v1/conversations/${id}`);
    expect(conv.body.conversation.turns).toHaveLength(1);
    expect((await relay.request(host.signer, 'POST', path, good)).status).toBe(201);
  });

  it('answers unknown routes and methods with NOT_FOUND', async () => {
    const relay = await r.start();
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/v2/health'],
      ['PUT', '/v1/health'],
      ['GET', '/v1/enroll'],
    ]) {
      const res = await relay.request(null, method as string, path as string);
      expect([res.status, res.body.code], `${method} ${path}`).toEqual([404, 'NOT_FOUND']);
    }
  });

  it('rate-limits a host that sends too many requests', async () => {
    const relay = await r.start({ rateLimit: { perSecond: 0.01, burst: 5 } });
    const host = await relay.enroll('linux-box');
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await relay.request(host.signer, 'GET', '/v1/sessions')).status);
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    const limited = await relay.request(host.signer, 'GET', '/v1/sessions');
    expect(limited.body.code).toBe('RATE_LIMITED');
    // Another host has its own bucket.
    const other = await relay.enroll('win-laptop');
    expect((await relay.request(other.signer, 'GET', '/v1/sessions')).status).toBe(200);
  });

  it('rate-limits enrollment attempts per address', async () => {
    const relay = await r.start({ rateLimit: { perSecond: 100, burst: 100 } });
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await relay.request(null, 'POST', '/v1/enroll', {
        invite: `abcdefgh.${'x'.repeat(43)}`,
        host: 'h',
        publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) },
      });
      codes.push(res.body.code);
    }
    expect(codes.slice(0, 10).every((c) => c === 'INVITE_INVALID')).toBe(true);
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });
});
