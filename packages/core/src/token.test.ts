import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { audienceFor, generateEd25519, tokenSigner } from './token.js';

describe('tokens', () => {
  it('are EdDSA JWTs a standard JOSE implementation verifies, with every claim the relay requires', async () => {
    const { privateJwk, publicJwk } = await generateEd25519();
    const signer = await tokenSigner(privateJwk, 'linux-box', 'relay1');
    const token = await signer.mint();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'linux-box' });
    const { payload } = await jwtVerify(token, await importJWK(publicJwk, 'EdDSA'), {
      algorithms: ['EdDSA'],
      audience: audienceFor('relay1'),
      subject: 'linux-box',
    });
    expect(payload.exp! - payload.iat!).toBe(120);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
  it('never outlive five minutes and never repeat a jti', async () => {
    const { privateJwk } = await generateEd25519();
    const signer = await tokenSigner(privateJwk, 'admin', 'r');
    const claims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number; jti: string };
    const long = claims(await signer.mint({ lifetimeSeconds: 3600, now: 1_800_000_000_000 }));
    expect(long).toMatchObject({ iat: 1_800_000_000, exp: 1_800_000_300 });
    const jtis = new Set(await Promise.all(Array.from({ length: 200 }, async () => claims(await signer.mint()).jti)));
    expect(jtis.size).toBe(200);
  });
  it('signatures from another key do not verify', async () => {
    const a = await generateEd25519();
    const b = await generateEd25519();
    const token = await (await tokenSigner(a.privateJwk, 'h', 'r')).mint();
    await expect(jwtVerify(token, await importJWK(b.publicJwk, 'EdDSA'), { algorithms: ['EdDSA'] })).rejects.toThrow();
  });
});
