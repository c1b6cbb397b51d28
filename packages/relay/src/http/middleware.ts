// Cross-cutting request checks: shutdown, credentials in URLs, authentication, rate limits.
import { CrosstalkError } from '@crosstalk/core';
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../services.js';
import { isoNow } from '../services.js';
import type { RelayEnv } from './request.js';

const URL_CREDENTIALS = new Set(['token', 'access_token', 'jwt', 'auth']);

/** True when a query string carries something that looks like a credential. */
export function hasTokenInQuery(search: string): boolean {
  if (search === '' || search === '?') return false;
  for (const key of new URLSearchParams(search).keys()) if (URL_CREDENTIALS.has(key.toLowerCase())) return true;
  return false;
}

export function guard(services: Services): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    if (services.isShuttingDown()) throw new CrosstalkError('SHUTTING_DOWN');
    const q = c.req.url.indexOf('?');
    if (q !== -1 && hasTokenInQuery(c.req.url.slice(q))) {
      throw new CrosstalkError('TOKEN_IN_URL', 'a credential was passed in the URL; it is refused (and should be considered leaked)');
    }
    await next();
    // Requests still being answered while the relay stops do not keep their connection open.
    if (services.isShuttingDown()) c.res.headers.set('connection', 'close');
  };
}

/** Verifies the bearer token and applies the caller's rate limit. */
export function authenticate(services: Services): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const principal = await services.verify(c.req.header('authorization'));
    const who = principal.kind === 'admin' ? 'admin' : principal.host;
    if (!services.httpLimiter.take(who)) throw new CrosstalkError('RATE_LIMITED');
    if (principal.kind === 'host') services.activity.seen(principal.host, isoNow(services));
    c.set('principal', principal);
    await next();
  };
}

/** Enrollment is open to anyone holding an invite, so it is limited per remote address. */
export function enrollLimit(services: Services): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const address = c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
    if (!services.enrollLimiter.take(address)) throw new CrosstalkError('RATE_LIMITED', 'too many enrollment attempts from this address');
    await next();
  };
}
