// Ed25519 keys and the short-lived JWTs that authenticate every request and link (see
// docs/PROTOCOL.md). Minting lives here so hosts, the CLI and the relay admin tools share one
// definition of the claims; verification lives in the relay.
//
// Built on node:crypto alone: every CLI invocation mints a token, and loading a JOSE library
// costs more than the whole signature. The format is fixed (EdDSA compact JWS), and the relay
// verifies these tokens with jose.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
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
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d) throw new Error('unexpected key export');
  return { privateJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } };
}

export interface TokenSigner {
  /** Host name, or `admin`. */
  readonly kid: string;
  /** A fresh token for one request or one connection. */
  mint(options?: { lifetimeSeconds?: number; now?: number }): Promise<string>;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A signer bound to one key and one relay; imports the key once. */
export async function tokenSigner(privateJwk: Ed25519PrivateJwk, kid: string, relayId: string): Promise<TokenSigner> {
  const key: KeyObject = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d }, format: 'jwk' });
  const audience = audienceFor(relayId);
  const header = b64url({ alg: 'EdDSA', typ: 'JWT', kid });
  return {
    kid,
    async mint(options = {}) {
      const lifetime = Math.min(options.lifetimeSeconds ?? 120, LIMITS.tokenMaxLifetimeSeconds);
      const now = Math.floor((options.now ?? Date.now()) / 1000);
      const payload = b64url({ sub: kid, aud: audience, iat: now, exp: now + lifetime, jti: randomBytes(18).toString('base64url') });
      const signingInput = `${header}.${payload}`;
      const signature = sign(null, Buffer.from(signingInput), key).toString('base64url');
      return `${signingInput}.${signature}`;
    },
  };
}
