// Verifies the short-lived EdDSA JWTs of docs/PROTOCOL.md and says who is calling. Every way a
// token can be wrong maps to its own stable error code.
//
// The token is parsed strictly as a compact JWS and its Ed25519 signature is checked with
// node:crypto's callback form, which runs in libuv's thread pool: the signature check is most of
// a request's cost, and this keeps it off the event loop. The checks are those jose's jwtVerify
// made (same order, same codes), plus the protocol's own.
import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { CrosstalkError, LIMITS, parseJson } from '@crosstalk/core';
import type { KeyRing } from './keys.js';
import type { ReplayCache } from './replay-cache.js';

export type Principal = { kind: 'admin' } | { kind: 'host'; host: string };

export interface VerifierOptions {
  audience: string;
  keys: KeyRing;
  replays: ReplayCache;
  /** Milliseconds since the epoch; tests move the clock. */
  now?: () => number;
}

export type Verifier = (authorization: string | undefined) => Promise<Principal>;

const MAX_TOKEN_CHARS = 4096;
const JTI_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const ED25519_SIGNATURE_BYTES = 64;
const REQUIRED_CLAIMS = ['iat', 'exp', 'jti', 'sub', 'aud'] as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string): CrosstalkError {
  return new CrosstalkError('AUTH_INVALID', message);
}

function expired(message: string): CrosstalkError {
  return new CrosstalkError('AUTH_EXPIRED', message);
}

/** A base64url segment decoded as a JSON object, or null. */
function decodeObject(segment: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = utf8.decode(Buffer.from(segment, 'base64url'));
  } catch (err) {
    // The fatal decoder's TypeError: the segment is not UTF-8.
    if (err instanceof TypeError) return null;
    throw err;
  }
  const value = parseJson(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function signatureHolds(input: string, signature: Buffer, key: KeyObject): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      verifySignature(null, Buffer.from(input, 'ascii'), key, signature, (err, ok) => resolve(!err && ok));
    } catch (err) {
      // crypto refuses (with an ERR_* code) to check a signature of the wrong shape: no valid signature either.
      if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
      resolve(false);
    }
  });
}

/** A NumericDate claim: absent, or a finite number. */
function numericDate(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`the token's "${name}" claim must be a number`);
  return value;
}

/** The claim checks, in jose's order: presence, subject, audience, then the times. */
function checkClaims(claims: Record<string, unknown>, kid: string, audience: string, nowSeconds: number): { exp: number; iat: number } {
  for (const claim of [...REQUIRED_CLAIMS].reverse()) {
    if (!Object.hasOwn(claims, claim)) throw invalid(`the token has no "${claim}" claim`);
  }
  if (claims.sub !== kid) throw invalid('the token subject does not match its key id');
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(audience)) throw invalid('the token was minted for another relay (wrong audience)');
  const tolerance = LIMITS.clockToleranceSeconds;
  const iat = numericDate(claims, 'iat') as number;
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > nowSeconds + tolerance) throw expired('the token is not valid yet (its issue time is in the future)');
  const exp = numericDate(claims, 'exp') as number;
  if (exp <= nowSeconds - tolerance) throw expired('the token has expired');
  const age = nowSeconds - iat;
  if (age - tolerance > LIMITS.tokenMaxLifetimeSeconds) throw expired('the token has expired');
  if (age < -tolerance) throw expired('the token is not valid yet (its issue time is in the future)');
  return { exp, iat };
}

export function createVerifier(options: VerifierOptions): Verifier {
  const now = options.now ?? Date.now;
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') {
      throw new CrosstalkError('AUTH_REQUIRED');
    }
    const match = /^Bearer +([A-Za-z0-9_.-]+)\s*$/i.exec(authorization);
    if (!match) throw invalid('the Authorization header must be "Bearer <jwt>"');
    const token = match[1] as string;
    if (token.length > MAX_TOKEN_CHARS) throw invalid('the token is too long');
    const parts = COMPACT_JWS.exec(token);
    if (!parts) throw invalid('the token is malformed');
    const [, headerPart, payloadPart, signaturePart] = parts as unknown as [string, string, string, string];

    const header = decodeObject(headerPart);
    if (!header) throw invalid('the token is malformed');
    if (header.alg !== 'EdDSA') throw invalid(`only EdDSA tokens are accepted, not ${JSON.stringify(String(header.alg).slice(0, 20))}`);
    if (typeof header.kid !== 'string' || header.kid === '') throw invalid('the token names no key (kid)');
    if (header.typ !== undefined && (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'jwt')) throw invalid('the token is not a JWT (typ)');
    if (header.crit !== undefined) throw invalid('the token has critical header extensions');
    if (header.b64 !== undefined) throw invalid('the token is malformed');
    const kid = header.kid;
    const holder = options.keys.resolve(kid);

    const signature = Buffer.from(signaturePart, 'base64url');
    if (signature.length !== ED25519_SIGNATURE_BYTES || !(await signatureHolds(`${headerPart}.${payloadPart}`, signature, holder.key))) {
      throw invalid('the token signature does not verify with the enrolled key');
    }
    const claims = decodeObject(payloadPart);
    if (!claims) throw invalid('the token is malformed');
    const nowMs = now();
    const { iat, exp } = checkClaims(claims, kid, options.audience, Math.floor(nowMs / 1000));
    if (exp - iat > LIMITS.tokenMaxLifetimeSeconds) {
      throw invalid(`the token lives ${exp - iat} s; at most ${LIMITS.tokenMaxLifetimeSeconds} s are accepted`);
    }
    const jti = claims.jti;
    if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) throw invalid('the token id (jti) must be at least 16 random bytes, base64url');
    if (holder.kind === 'host' && holder.host.revokedAt !== null) {
      throw new CrosstalkError('HOST_REVOKED', `host ${holder.host.name} was revoked at ${holder.host.revokedAt}`);
    }
    const seen = options.replays.add(`${kid}:${jti}`, exp, Math.floor(nowMs / 1000));
    if (seen === 'replayed') throw new CrosstalkError('AUTH_REPLAYED');
    if (seen === 'full') throw new CrosstalkError('RATE_LIMITED', 'the relay is verifying too many tokens right now');
    return holder.kind === 'admin' ? { kind: 'admin' } : { kind: 'host', host: holder.host.name };
  };
}
