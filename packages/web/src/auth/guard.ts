// The checks every request passes before any page or action: the security headers; the Host it
// was asked under (on loopback only this server's own names, so a rebound DNS name gets
// nothing); the login cookie (only the login link itself goes without); and, for every request
// that changes something, the form's CSRF token and an Origin that is this server's own.
import { CrosstalkError } from '@crosstalk/core';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Login, LoginBook } from './logins.js';

export const COOKIE = 'crosstalk_login';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(c: Context): void {
  c.header('Content-Security-Policy', CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  // Not no-referrer: under it a browser sends `Origin: null` with its own forms, and the Origin check
  // could not tell them from a foreign page's. Nothing leaves this origin with a referrer.
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
}

export interface GuardOptions {
  logins: LoginBook;
  /** `host:port` values this server answers to; null: any (behind a proxy, with --listen). */
  allowedHosts: ReadonlySet<string> | null;
  /** Paths served without a login (the login link). */
  open: (path: string) => boolean;
  refuse: (c: Context, error: CrosstalkError) => Response;
}

/** Whether the request's Origin is this server as the browser reached it. */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  const host = c.req.header('host');
  if (!origin || !host || origin === 'null') return false;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === host.toLowerCase();
  } catch {
    return false;
  }
}

export function guard(options: GuardOptions): MiddlewareHandler<{ Variables: { login: Login } }> {
  return async (c, next) => {
    securityHeaders(c);
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (options.allowedHosts && !options.allowedHosts.has(host)) {
      return options.refuse(
        c,
        new CrosstalkError('HOST_HEADER_REFUSED', `this web view does not answer to the host name ${JSON.stringify(host.slice(0, 100))}`),
      );
    }
    if (options.open(c.req.path)) return next();
    const login = options.logins.find(getCookie(c, COOKIE));
    if (!login) return options.refuse(c, new CrosstalkError('LOGIN_REQUIRED'));
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const site = c.req.header('sec-fetch-site');
      if (!sameOrigin(c) || (site !== undefined && site !== 'same-origin')) {
        return options.refuse(c, new CrosstalkError('CSRF_REFUSED', 'the request came from another web origin (or named none)'));
      }
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      if (!options.logins.csrfMatches(login, form.csrf))
        return options.refuse(c, new CrosstalkError('CSRF_REFUSED', "the form's token is missing or is not this login's"));
    }
    c.set('login', login);
    return next();
  };
}
