// The auth matrix against a running relay, over real HTTP requests and real WebSocket upgrades.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@crosstalk/core';
import { audienceFor, generateEd25519, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { relays, type TestRelay } from '../__fixtures__/harness.js';
import { initDataDir } from '../datadir/datadir.js';
import { EventLog } from '../store/event-log.js';
import { mintInvite } from './invites.js';

const r = relays();

interface Forge {
  jwk: Ed25519PrivateJwk;
  kid: string;
  relayId: string;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  iat?: number;
  exp?: number;
  omit?: string[];
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function forge(f: Forge): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    sub: f.kid,
    aud: audienceFor(f.relayId),
    iat: f.iat ?? now,
    exp: f.exp ?? now + 60,
    jti: randomBytes(18).toString('base64url'),
    ...f.claims,
  };
  for (const k of f.omit ?? []) delete payload[k];
  const key = (await importJWK(f.jwk as JWK, 'EdDSA')) as CryptoKey;
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: f.kid, ...f.header }).sign(key);
}

/** Answers of HTTP and WebSocket upgrade for one Authorization header value. */
async function both(relay: TestRelay, authorization: string, path = '/v1/hosts') {
  const http = await relay.request(authorization, 'GET', path);
  const ws = await new Promise<{ status: number; body: any }>((resolve, reject) => {
    const sock = new WebSocket(`${relay.url.replace('http', 'ws')}/v1/link`, { headers: { authorization } });
    sock.once('open', () => {
      sock.terminate();
      reject(new Error('upgrade was accepted'));
    });
    sock.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    sock.once('error', reject);
  });
  return { http, ws };
}

async function expectRefused(relay: TestRelay, token: string, status: number, code: string) {
  const { http, ws } = await both(relay, `Bearer ${token}`);
  expect({ status: http.status, code: http.body?.code }).toEqual({ status, code });
  expect({ status: ws.status, code: ws.body?.code }).toEqual({ status, code });
  expect(typeof http.body.hint).toBe('string');
}

describe('authentication', () => {
  it('accepts a good host token and a good admin token', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    expect((await relay.request(host.signer, 'GET', '/v1/hosts')).status).toBe(200);
    expect((await relay.request(relay.admin, 'GET', '/v1/hosts')).status).toBe(200);
  });

  it('refuses every bad credential with its own code, over HTTP and on upgrade', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const relayId = relay.relay.relayId;
    const jwk = host.privateJwk;
    const now = Math.floor(Date.now() / 1000);

    const noAuth = await both(relay, '');
    expect([noAuth.http.status, noAuth.http.body.code, noAuth.ws.status, noAuth.ws.body.code]).toEqual([401, 'AUTH_REQUIRED', 401, 'AUTH_REQUIRED']);

    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId, iat: now - 400, exp: now - 200 }), 401, 'AUTH_EXPIRED');
    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId, iat: now + 120, exp: now + 300 }), 401, 'AUTH_EXPIRED');
    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId: 'another-relay' }), 401, 'AUTH_INVALID');
    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId, iat: now, exp: now + 301 }), 401, 'AUTH_INVALID');
    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId, claims: { sub: 'other-box' } }), 401, 'AUTH_INVALID');
    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId, omit: ['jti'] }), 401, 'AUTH_INVALID');
    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId, claims: { jti: 'short' } }), 401, 'AUTH_INVALID');
    await expectRefused(relay, await forge({ jwk, kid: 'linux-box', relayId, omit: ['exp'] }), 401, 'AUTH_INVALID');

    // alg none: no signature at all.
    const unsigned = `${b64({ alg: 'none', kid: 'linux-box' })}.${b64({ sub: 'linux-box', aud: audienceFor(relayId), iat: now, exp: now + 60, jti: randomBytes(18).toString('base64url') })}.`;
    await expectRefused(relay, unsigned, 401, 'AUTH_INVALID');

    // HS256 "signed" with the host's public key bytes (the classic key-confusion attack).
    const publicBytes = Buffer.from(jwk.x, 'base64url');
    const hs = await new SignJWT({ jti: randomBytes(18).toString('base64url') })
      .setProtectedHeader({ alg: 'HS256', kid: 'linux-box' })
      .setSubject('linux-box')
      .setAudience(audienceFor(relayId))
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(publicBytes);
    await expectRefused(relay, hs, 401, 'AUTH_INVALID');

    // Signed by a key nobody enrolled: under a known name, and under an unknown name.
    const stranger = await generateEd25519();
    await expectRefused(relay, await forge({ jwk: stranger.privateJwk, kid: 'linux-box', relayId }), 401, 'AUTH_INVALID');
    await expectRefused(relay, await forge({ jwk: stranger.privateJwk, kid: 'nobody-box', relayId }), 401, 'HOST_UNKNOWN');
    // A host key cannot pass itself off as the admin.
    await expectRefused(relay, await forge({ jwk, kid: 'admin', relayId }), 401, 'AUTH_INVALID');

    // Garbage in the header.
    for (const value of ['Bearer', 'Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', `Bearer ${'a'.repeat(5000)}`]) {
      const { http, ws } = await both(relay, value);
      expect([http.status, http.body.code, ws.status, ws.body.code]).toEqual([401, 'AUTH_INVALID', 401, 'AUTH_INVALID']);
    }
  });

  it('accepts a token id once only', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const token = await host.signer.mint();
    expect((await relay.request(`Bearer ${token}`, 'GET', '/v1/hosts')).status).toBe(200);
    const again = await relay.request(`Bearer ${token}`, 'GET', '/v1/hosts');
    expect([again.status, again.body.code]).toEqual([401, 'AUTH_REPLAYED']);
    // Also across the two doors: a token used for HTTP cannot open a link.
    await expectRefused(relay, token, 401, 'AUTH_REPLAYED');
  });

  it('refuses tokens in the URL, on HTTP and on upgrade', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    for (const name of ['token', 'access_token', 'jwt', 'auth', 'Token']) {
      const res = await relay.request(host.signer, 'GET', `/v1/hosts?${name}=${await host.signer.mint()}`);
      expect([res.status, res.body.code]).toEqual([401, 'TOKEN_IN_URL']);
    }
    const health = await relay.request(null, 'GET', '/v1/health?token=abc');
    expect(health.body.code).toBe('TOKEN_IN_URL');
    const refused = await new Promise<number>((resolve, reject) => {
      void host.signer.mint().then((t) => {
        const sock = new WebSocket(`${relay.url.replace('http', 'ws')}/v1/link?access_token=${t}`, { headers: { authorization: `Bearer ${t}` } });
        sock.once('open', () => reject(new Error('accepted')));
        sock.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        sock.once('error', reject);
      });
    });
    expect(refused).toBe(401);
  });

  it('refuses a revoked host, and lets it enroll again with a new invite', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const revoke = await relay.request(relay.admin, 'POST', '/v1/hosts/linux-box/revoke');
    expect(revoke.status).toBe(200);
    expect(revoke.body.host.revokedAt).toEqual(expect.any(String));
    await expectRefused(relay, await host.signer.mint(), 401, 'HOST_REVOKED');
    const again = await relay.enroll('linux-box');
    expect((await relay.request(again.signer, 'GET', '/v1/hosts')).status).toBe(200);
    // The old key stays refused.
    await expectRefused(relay, await host.signer.mint(), 401, 'AUTH_INVALID');
  });

  it('refuses a WebSocket upgrade from a foreign Origin before the handshake', async () => {
    const relay = await r.start({ allowedOrigins: ['https://console.example:8443'] });
    const host = await relay.enroll('linux-box');
    const refused = await relay.link(host.signer, { origin: 'https://evil.example' }).then(
      () => null,
      (e: { status: number; body: any }) => e,
    );
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ORIGIN' } });
    const allowed = await r.link(relay, host.signer, { origin: 'https://console.example:8443' });
    expect((await allowed.welcome()).t).toBe('welcome');
  });

  it('keeps admin routes for the admin key', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    for (const [method, path, body] of [
      ['POST', '/v1/invites', {}],
      ['POST', '/v1/hosts/linux-box/revoke', undefined],
    ] as const) {
      const res = await relay.request(host.signer, method, path, body);
      expect([res.status, res.body.code]).toEqual([403, 'ADMIN_REQUIRED']);
    }
  });

  it("refuses acting as another host's session", async () => {
    const relay = await r.start();
    const linux = await relay.enroll('linux-box');
    const win = await relay.enroll('win-laptop');
    await relay.join(linux, 'codex-linux');
    await relay.join(win, 'claude-win');
    const id = await relay.open(linux, 'codex-linux', ['claude-win']);
    const post = await relay.request(linux.signer, 'POST', `/v1/conversations/${id}/turns`, {
      as: 'claude-win',
      expectedTurn: 2,
      idempotencyKey: 'k1',
      body: 'hi',
    });
    expect([post.status, post.body.code]).toEqual([403, 'SESSION_NOT_OWNED']);
    const open = await relay.request(linux.signer, 'POST', '/v1/conversations', {
      as: 'claude-win',
      topic: 't',
      with: ['codex-linux'],
      body: 'x',
      idempotencyKey: 'k2',
    });
    expect([open.status, open.body.code]).toEqual([403, 'SESSION_NOT_OWNED']);
    const steal = await relay.request(linux.signer, 'POST', '/v1/sessions', { name: 'claude-win', kind: 'other', wake: { type: 'none' } });
    expect([steal.status, steal.body.code]).toEqual([409, 'SESSION_TAKEN']);
    const del = await relay.request(linux.signer, 'DELETE', '/v1/sessions/claude-win');
    expect([del.status, del.body.code]).toEqual([403, 'SESSION_NOT_OWNED']);
    const receipt = await relay.request(linux.signer, 'POST', '/v1/receipts', {
      session: 'claude-win',
      conversation: id,
      turn: 2,
      status: 'delivered',
      attempt: 1,
    });
    expect([receipt.status, receipt.body.code]).toEqual([403, 'SESSION_NOT_OWNED']);
  });
});

describe('invites and enrollment', () => {
  async function invite(relay: TestRelay, body: Record<string, unknown> = {}) {
    const res = await relay.request(relay.admin, 'POST', '/v1/invites', body);
    expect(res.status).toBe(201);
    return res.body as { invite: string; id: string; host: string | null; expiresAt: string };
  }
  const enroll = async (relay: TestRelay, code: string, host: string) =>
    relay.request(null, 'POST', '/v1/enroll', { invite: code, host, publicKey: (await generateEd25519()).publicJwk });

  it('works once, then refuses the used invite', async () => {
    const relay = await r.start();
    const inv = await invite(relay);
    expect(inv.invite.startsWith(`${inv.id}.`)).toBe(true);
    expect(inv.host).toBeNull();
    const first = await enroll(relay, inv.invite, 'linux-box');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ relayId: relay.relay.relayId, epoch: relay.relay.epoch, protocol: PROTOCOL_VERSION, host: 'linux-box' });
    const second = await enroll(relay, inv.invite, 'other-box');
    expect([second.status, second.body.code]).toEqual([409, 'INVITE_USED']);
  });

  it('refuses expired, forged, mismatched and taken', async () => {
    const relay = await r.start();
    const forgedSecret = `${(await invite(relay)).id}.${randomBytes(32).toString('base64url')}`;
    expect((await enroll(relay, forgedSecret, 'linux-box')).body.code).toBe('INVITE_INVALID');
    expect((await enroll(relay, 'not an invite', 'linux-box')).body.code).toBe('INVITE_INVALID');
    expect((await enroll(relay, `nosuchinvite.${randomBytes(32).toString('base64url')}`, 'linux-box')).body.code).toBe('INVITE_INVALID');

    const bound = await invite(relay, { host: 'win-laptop' });
    const mismatch = await enroll(relay, bound.invite, 'linux-box');
    expect([mismatch.status, mismatch.body.code]).toEqual([403, 'INVITE_HOST_MISMATCH']);
    expect((await enroll(relay, bound.invite, 'win-laptop')).status).toBe(201);

    const taken = await enroll(relay, (await invite(relay)).invite, 'win-laptop');
    expect([taken.status, taken.body.code]).toEqual([409, 'HOST_TAKEN']);
    const admin = await enroll(relay, (await invite(relay)).invite, 'admin');
    expect(admin.body.code).toBe('INVALID_NAME');
  });

  it('refuses an invite after it expired', async () => {
    // An invite lives at least a minute; one minted long ago is written into the log before start.
    const dir = await r.dir();
    const dataDir = join(dir, 'relay');
    await initDataDir(dataDir);
    const minted = mintInvite();
    const { log } = await EventLog.open({ file: join(dataDir, 'events.log') });
    log.append([
      { type: 'invite.created', at: '2026-01-01T00:00:00.000Z', invite: minted.id, hash: minted.hash, host: null, expiresAt: '2026-01-01T01:00:00.000Z' },
    ]);
    await log.close();
    const relay = await r.start({ dataDir });
    const res = await enroll(relay, minted.code, 'linux-box');
    expect([res.status, res.body.code]).toEqual([401, 'INVITE_EXPIRED']);
  });

  it('mints invite codes that never start with a dash, so a command line never reads one as options', () => {
    // One id in 64 began with `-` before; `agent join --invite -V…` printed the version and enrolled nothing.
    for (let i = 0; i < 2_000; i++) {
      const minted = mintInvite();
      expect(minted.code.startsWith('-'), minted.code).toBe(false);
      expect(minted.code).toMatch(/^[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    }
  });

  it('logs no invite secret and no token', async () => {
    const relay = await r.start();
    const inv = await invite(relay);
    const host = await relay.enroll('linux-box');
    const token = await host.signer.mint();
    await relay.request(`Bearer ${token}`, 'GET', '/v1/hosts');
    await relay.request(`Bearer ${token}`, 'GET', '/v1/hosts');
    const logs = relay.logs.join('\n');
    expect(logs).toContain('invite created');
    expect(logs).not.toContain(inv.invite.split('.')[1]);
    expect(logs).not.toContain(token.split('.')[2]);
    expect(logs).not.toContain(host.privateJwk.d);
  });
});
