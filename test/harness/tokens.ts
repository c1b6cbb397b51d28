// Credentials that are wrong in one way each, for the auth suites: expired, not yet valid,
// minted for another relay, unsigned (`alg: none`), HMAC-signed with the public key as secret,
// signed by a key nobody enrolled. Built by hand where a library would refuse to.
import { createHmac, randomBytes } from 'node:crypto';
import { audienceFor, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface Claims {
  kid: string;
  relayId: string;
  /** Seconds, relative to now. */
  iatOffset?: number;
  lifetime?: number;
  aud?: string;
  jti?: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function payload(c: Claims) {
  const now = Math.floor(Date.now() / 1000) + (c.iatOffset ?? 0);
  return { sub: c.kid, aud: c.aud ?? audienceFor(c.relayId), iat: now, exp: now + (c.lifetime ?? 120), jti: c.jti ?? randomBytes(18).toString('base64url') };
}

/** A properly signed EdDSA token with the given claims. */
export async function signed(key: Ed25519PrivateJwk, c: Claims): Promise<string> {
  const k = (await importJWK(key as JWK, 'EdDSA')) as CryptoKey;
  const p = payload(c);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: c.kid })
    .setSubject(p.sub)
    .setAudience(p.aud)
    .setIssuedAt(p.iat)
    .setExpirationTime(p.exp)
    .setJti(p.jti)
    .sign(k);
}

/** No signature at all. */
export function unsigned(c: Claims): string {
  return `${b64({ alg: 'none', typ: 'JWT', kid: c.kid })}.${b64(payload(c))}.`;
}

/** HS256 with the host's public key as the HMAC secret: the classic algorithm confusion. */
export function hmacWithPublicKey(publicX: string, c: Claims): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: c.kid })}.${b64(payload(c))}`;
  const sig = createHmac('sha256', Buffer.from(publicX, 'base64url')).update(input).digest('base64url');
  return `${input}.${sig}`;
}
