// The token verifier on its own: the strict compact-JWS parsing and the claim checks, with real
// Ed25519 keys and a clock the test sets.
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import type { Host } from '@crosstalk/core';
import { audienceFor, generateEd25519, tokenSigner, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { describe, expect, it } from 'vitest';
import { KeyRing } from './keys.js';
import { ReplayCache } from './replay-cache.js';
import { createVerifier } from './verify.js';

const RELAY = 'relay-under-test';
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function setup() {
  const host = await generateEd25519();
  const admin = await generateEd25519();
  const hosts = new Map<string, Host>([
    ['linux-box', { name: 'linux-box', publicKey: host.publicJwk, enrolledAt: '2026-11-21T00:00:00.000Z', revokedAt: null }],
  ]);
  const verify = createVerifier({
    audience: audienceFor(RELAY),
    keys: new KeyRing(hosts, admin.publicJwk),
    replays: new ReplayCache(1000, 30),
    now: () => NOW,
  });
  return { verify, host, hosts };
}

/** A token signed with `jwk`, with any header and claims. */
function token(jwk: Ed25519PrivateJwk, header: Record<string, unknown>, claims: Record<string, unknown>, signature?: Buffer): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, format: 'jwk' });
  return `${input}.${(signature ?? sign(null, Buffer.from(input), key)).toString('base64url')}`;
}

const seconds = Math.floor(NOW / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'linux-box',
  aud: audienceFor(RELAY),
  iat: seconds,
  exp: seconds + 60,
  jti: randomBytes(18).toString('base64url'),
  ...extra,
});
const header = { alg: 'EdDSA', typ: 'JWT', kid: 'linux-box' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'accepted',
    (err: { code?: string }) => err.code ?? String(err),
  );
}

describe('the token verifier', () => {
  it('accepts what the shared signer mints, once', async () => {
    const { verify, host } = await setup();
    const t = await (await tokenSigner(host.privateJwk, 'linux-box', RELAY)).mint({ now: NOW });
    expect(await verify(`Bearer ${t}`)).toEqual({ kind: 'host', host: 'linux-box', key: host.publicJwk.x });
    expect(await codeOf(verify(`Bearer ${t}`))).toBe('AUTH_REPLAYED');
  });

  it('accepts a token without typ, and an audience list that names this relay', async () => {
    const { verify, host } = await setup();
    expect(await codeOf(verify(`Bearer ${token(host.privateJwk, { alg: 'EdDSA', kid: 'linux-box' }, claims())}`))).toBe('accepted');
    expect(await codeOf(verify(`Bearer ${token(host.privateJwk, header, claims({ aud: ['other', audienceFor(RELAY)] }))}`))).toBe('accepted');
  });

  it('refuses malformed tokens and headers it does not understand', async () => {
    const { verify, host } = await setup();
    const good = token(host.privateJwk, header, claims());
    const [h, p, s] = good.split('.') as [string, string, string];
    const cases: Array<[string, string]> = [
      [`${h}.${p}`, 'AUTH_INVALID'],
      [`${h}.${p}.${s}.${s}`, 'AUTH_INVALID'],
      [`${h}..${s}`, 'AUTH_INVALID'],
      [`${b64([1, 2])}.${p}.${s}`, 'AUTH_INVALID'],
      [`${Buffer.from('{"alg":').toString('base64url')}.${p}.${s}`, 'AUTH_INVALID'],
      [`${Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url')}.${p}.${s}`, 'AUTH_INVALID'],
      [token(host.privateJwk, { ...header, typ: 'at+jwt' }, claims()), 'AUTH_INVALID'],
      [token(host.privateJwk, { ...header, crit: ['exp'] }, claims()), 'AUTH_INVALID'],
      [token(host.privateJwk, { ...header, b64: false }, claims()), 'AUTH_INVALID'],
      [token(host.privateJwk, { ...header, alg: 'none' }, claims()), 'AUTH_INVALID'],
      [token(host.privateJwk, { ...header, kid: '' }, claims()), 'AUTH_INVALID'],
      [token(host.privateJwk, { ...header, kid: 'nobody-box' }, claims({ sub: 'nobody-box' })), 'HOST_UNKNOWN'],
      // A signature of the wrong length, and a right-length one that does not verify.
      [token(host.privateJwk, header, claims(), randomBytes(63)), 'AUTH_INVALID'],
      [token(host.privateJwk, header, claims(), randomBytes(64)), 'AUTH_INVALID'],
      // A signed payload that is not an object.
      [token(host.privateJwk, header, [1] as unknown as Record<string, unknown>), 'AUTH_INVALID'],
    ];
    for (const [t, code] of cases) expect([t.slice(0, 60), await codeOf(verify(`Bearer ${t}`))]).toEqual([t.slice(0, 60), code]);
  });

  it('checks every claim, with the clock tolerance', async () => {
    const { verify, host } = await setup();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ iat: seconds - 20, exp: seconds - 29 }, 'accepted'],
      [{ iat: seconds - 20, exp: seconds - 30 }, 'AUTH_EXPIRED'],
      [{ iat: seconds + 30, exp: seconds + 90 }, 'accepted'],
      [{ iat: seconds + 31, exp: seconds + 90 }, 'AUTH_EXPIRED'],
      [{ iat: seconds - 331, exp: seconds + 10 }, 'AUTH_EXPIRED'],
      [{ nbf: seconds + 31 }, 'AUTH_EXPIRED'],
      [{ nbf: seconds }, 'accepted'],
      [{ exp: seconds + 301 }, 'AUTH_INVALID'],
      [{ exp: '2030' }, 'AUTH_INVALID'],
      [{ iat: null }, 'AUTH_INVALID'],
      [{ sub: 'admin' }, 'AUTH_INVALID'],
      [{ aud: 'crosstalk:another-relay' }, 'AUTH_INVALID'],
      [{ aud: 7 }, 'AUTH_INVALID'],
      [{ jti: 'short' }, 'AUTH_INVALID'],
      [{ jti: 1e23 }, 'AUTH_INVALID'],
    ];
    for (const [extra, code] of cases) expect([extra, await codeOf(verify(`Bearer ${token(host.privateJwk, header, claims(extra))}`))]).toEqual([extra, code]);
    for (const missing of ['iat', 'exp', 'jti', 'sub', 'aud']) {
      const c: Record<string, unknown> = claims();
      delete c[missing];
      expect([missing, await codeOf(verify(`Bearer ${token(host.privateJwk, header, c)}`))]).toEqual([missing, 'AUTH_INVALID']);
    }
  });

  it('refuses a revoked host that signs with its old key', async () => {
    const { verify, host, hosts } = await setup();
    (hosts.get('linux-box') as Host).revokedAt = '2026-11-21T11:00:00.000Z';
    expect(await codeOf(verify(`Bearer ${token(host.privateJwk, header, claims())}`))).toBe('HOST_REVOKED');
  });
});
