// Ed25519 keys and the short-lived JWTs that authenticate every request and link (see
// docs/PROTOCOL.md). Minting lives here so hosts, the CLI and the relay admin tools share one
// definition of the claims; verification lives in the relay.
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { LIMITS } from './limits.js';
import type { Ed25519PublicJwk } from './types.js';

export interface Ed25519PrivateJwk extends Ed25519PublicJwk {
  d: string;
}

export interface KeyPair {
  privateJwk: Ed25519PrivateJwk;
  publicJwk: Ed25519PublicJwk;
}

/** The `aud` claim a relay expects. */
export function audienceFor(relayId: string): string {
  return `crosstalk:${relayId}`;
}

export async function generateEd25519(): Promise<KeyPair> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d) throw new Error('unexpected key export');
  return { privateJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } };
}

export interface TokenSigner {
  /** Host name, or `admin`. */
  readonly kid: string;
  /** A fresh token for one request or one connection. */
  mint(options?: { lifetimeSeconds?: number; now?: number }): Promise<string>;
}

/** A signer bound to one key and one relay; imports the key once. */
export async function tokenSigner(privateJwk: Ed25519PrivateJwk, kid: string, relayId: string): Promise<TokenSigner> {
  const key = (await importJWK(privateJwk as JWK, 'EdDSA')) as CryptoKey;
  const audience = audienceFor(relayId);
  return {
    kid,
    async mint(options = {}) {
      const lifetime = Math.min(options.lifetimeSeconds ?? 120, LIMITS.tokenMaxLifetimeSeconds);
      const now = Math.floor((options.now ?? Date.now()) / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
        .setSubject(kid)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .setJti(randomBytes(18).toString('base64url'))
        .sign(key);
    },
  };
}
