// Verifies the short-lived EdDSA JWTs of docs/PROTOCOL.md and says who is calling. Every way a
// token can be wrong maps to its own stable error code.
import { CrosstalkError, LIMITS } from '@crosstalk/core';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
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

function invalid(message: string): CrosstalkError {
  return new CrosstalkError('AUTH_INVALID', message);
}

function mapJoseError(err: unknown): CrosstalkError {
  if (err instanceof CrosstalkError) return err;
  if (err instanceof joseErrors.JWTExpired) return new CrosstalkError('AUTH_EXPIRED', 'the token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || err.claim === 'iat') return new CrosstalkError('AUTH_EXPIRED', 'the token is not valid yet (its issue time is in the future)');
    if (err.claim === 'aud') return invalid('the token was minted for another relay (wrong audience)');
    if (err.claim === 'sub') return invalid('the token subject does not match its key id');
    return invalid(`the token has a bad "${err.claim}" claim`);
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return invalid('the token signature does not verify with the enrolled key');
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return invalid('only EdDSA tokens are accepted');
  return invalid('the token is malformed');
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

    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw invalid('the token is malformed');
    }
    if (header.alg !== 'EdDSA') throw invalid(`only EdDSA tokens are accepted, not ${JSON.stringify(String(header.alg).slice(0, 20))}`);
    if (typeof header.kid !== 'string' || header.kid === '') throw invalid('the token names no key (kid)');
    if (header.crit !== undefined) throw invalid('the token has critical header extensions');
    const holder = options.keys.resolve(header.kid);

    const nowMs = now();
    let payload;
    try {
      ({ payload } = await jwtVerify(token, holder.key, {
        algorithms: ['EdDSA'],
        audience: options.audience,
        subject: header.kid,
        clockTolerance: LIMITS.clockToleranceSeconds,
        maxTokenAge: LIMITS.tokenMaxLifetimeSeconds,
        requiredClaims: ['iat', 'exp', 'jti', 'sub', 'aud'],
        currentDate: new Date(nowMs),
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    const { iat, exp, jti } = payload as { iat: number; exp: number; jti: unknown };
    if (exp - iat > LIMITS.tokenMaxLifetimeSeconds) {
      throw invalid(`the token lives ${exp - iat} s; at most ${LIMITS.tokenMaxLifetimeSeconds} s are accepted`);
    }
    if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) throw invalid('the token id (jti) must be at least 16 random bytes, base64url');
    if (holder.kind === 'host' && holder.host.revokedAt !== null) {
      throw new CrosstalkError('HOST_REVOKED', `host ${holder.host.name} was revoked at ${holder.host.revokedAt}`);
    }
    const seen = options.replays.add(`${header.kid}:${jti}`, exp, Math.floor(nowMs / 1000));
    if (seen === 'replayed') throw new CrosstalkError('AUTH_REPLAYED');
    if (seen === 'full') throw new CrosstalkError('RATE_LIMITED', 'the relay is verifying too many tokens right now');
    return holder.kind === 'admin' ? { kind: 'admin' } : { kind: 'host', host: holder.host.name };
  };
}
