// Verifies the short-lived EdDSA JWTs of docs/PROTOCOL.md with jose and says who is calling.
// Every way a token can be wrong maps to its own stable error code.
//
// The compact form and the protected header are checked first (EdDSA only, a key id, no typ but
// JWT, no critical or b64 extensions), so the key is looked up only for a well-formed token; jose's
// jwtVerify then checks the signature (WebCrypto, off the event loop) and the claims: audience,
// subject = key id, the times with the clock tolerance and the maximum age; then the protocol's
// own: lifetime, a random jti, not revoked, never seen before.
import { CrosstalkError, LIMITS, parseJson } from '@crosstalk/core';
import { errors as JoseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { KeyHolder, KeyRing, SigningKey } from './keys.js';
import type { ReplayCache } from './replay-cache.js';

/** Who signed: a host or the admin, and `key`, the `x` of the key that verified the token. */
export type Principal = { kind: 'admin'; key: string } | { kind: 'host'; host: string; key: string };

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
const REQUIRED_CLAIMS = ['iat', 'exp', 'jti', 'sub', 'aud'];
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

/** The key id of a well-formed token whose header this relay accepts. */
function checkHeader(token: string): string {
  const parts = COMPACT_JWS.exec(token);
  if (!parts) throw invalid('the token is malformed');
  const header = decodeObject(parts[1] as string);
  if (!header) throw invalid('the token is malformed');
  if (header.alg !== 'EdDSA') throw invalid(`only EdDSA tokens are accepted, not ${JSON.stringify(String(header.alg).slice(0, 20))}`);
  if (typeof header.kid !== 'string' || header.kid === '') throw invalid('the token names no key (kid)');
  if (header.typ !== undefined && (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'jwt')) throw invalid('the token is not a JWT (typ)');
  if (header.crit !== undefined) throw invalid('the token has critical header extensions');
  if (header.b64 !== undefined) throw invalid('the token is malformed');
  return header.kid;
}

/** jose's refusal as the catalogue's error. */
function refusal(err: unknown): CrosstalkError {
  if (err instanceof JoseErrors.JWTExpired) return expired('the token has expired');
  if (err instanceof JoseErrors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return invalid(`the token has no "${err.claim}" claim`);
    if (err.reason === 'invalid') return invalid(`the token's "${err.claim}" claim must be a number`);
    if (err.claim === 'aud') return invalid('the token was minted for another relay (wrong audience)');
    if (err.claim === 'sub') return invalid('the token subject does not match its key id');
    if (err.claim === 'iat' || err.claim === 'nbf') return expired('the token is not valid yet (its issue time is in the future)');
    return invalid(`the token's "${err.claim}" claim is not acceptable`);
  }
  if (err instanceof JoseErrors.JWSSignatureVerificationFailed) return invalid('the token signature does not verify with the enrolled key');
  if (err instanceof JoseErrors.JOSEError) return invalid('the token is malformed');
  throw err;
}

export function createVerifier(options: VerifierOptions): Verifier {
  const now = options.now ?? Date.now;

  /** The claims, verified with the first of the holder's keys whose signature holds. */
  async function verifyWith(token: string, kid: string, keys: readonly SigningKey[]): Promise<{ claims: JWTPayload; key: SigningKey }> {
    const nowMs = now();
    for (const [i, key] of keys.entries()) {
      try {
        const { payload } = await jwtVerify(token, key.key, {
          algorithms: ['EdDSA'],
          audience: options.audience,
          subject: kid,
          requiredClaims: REQUIRED_CLAIMS,
          maxTokenAge: LIMITS.tokenMaxLifetimeSeconds,
          clockTolerance: LIMITS.clockToleranceSeconds,
          currentDate: new Date(nowMs),
        });
        return { claims: payload, key };
      } catch (err) {
        // A signature made with a retiring key verifies with that one; nothing else is worth another try.
        if (err instanceof JoseErrors.JWSSignatureVerificationFailed && i < keys.length - 1) continue;
        throw refusal(err);
      }
    }
    throw invalid('the token signature does not verify with the enrolled key');
  }

  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') {
      throw new CrosstalkError('AUTH_REQUIRED');
    }
    const match = /^Bearer +([A-Za-z0-9_.-]+)\s*$/i.exec(authorization);
    if (!match) throw invalid('the Authorization header must be "Bearer <jwt>"');
    const token = match[1] as string;
    if (token.length > MAX_TOKEN_CHARS) throw invalid('the token is too long');
    const kid = checkHeader(token);
    const holder: KeyHolder = await options.keys.resolve(kid);
    const { claims, key } = await verifyWith(token, kid, holder.keys);
    const iat = claims.iat as number;
    const exp = claims.exp as number;
    if (exp - iat > LIMITS.tokenMaxLifetimeSeconds) {
      throw invalid(`the token lives ${exp - iat} s; at most ${LIMITS.tokenMaxLifetimeSeconds} s are accepted`);
    }
    const jti = claims.jti;
    if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) throw invalid('the token id (jti) must be at least 16 random bytes, base64url');
    if (holder.kind === 'host' && holder.host.revokedAt !== null) {
      throw new CrosstalkError('HOST_REVOKED', `host ${holder.host.name} was revoked at ${holder.host.revokedAt}`);
    }
    const nowSeconds = Math.floor(now() / 1000);
    const seen = options.replays.add(`${kid}:${jti}`, exp, nowSeconds);
    if (seen === 'replayed') throw new CrosstalkError('AUTH_REPLAYED');
    if (seen === 'full') throw new CrosstalkError('RATE_LIMITED', 'the relay is verifying too many tokens right now');
    return holder.kind === 'admin' ? { kind: 'admin', key: key.x } : { kind: 'host', host: holder.host.name, key: key.x };
  };
}
