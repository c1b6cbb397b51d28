// Who may use the web view: whoever opened a one-time login link. A link works once, for a few
// minutes; opening it makes a login, named by a random id the browser keeps in an HttpOnly
// cookie, with its own CSRF token for forms. Secrets are kept only as hashes, so looking one up
// takes the same time whatever it is. No I/O; the clock and the random source are given.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Login {
  /** Hash of the cookie value. */
  readonly key: string;
  /** Sent in every form; compared in constant time. */
  readonly csrf: string;
  readonly createdAt: number;
}

export interface LoginBookOptions {
  /** How long a login link works (default 5 minutes). */
  linkTtlMs?: number;
  /** How long a login lasts (default 12 hours). */
  loginTtlMs?: number;
  now?: () => number;
  random?: (bytes: number) => Buffer;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export class LoginBook {
  private readonly links = new Map<string, number>();
  private readonly logins = new Map<string, Login>();
  private readonly linkTtlMs: number;
  private readonly loginTtlMs: number;
  private readonly now: () => number;
  private readonly random: (bytes: number) => Buffer;

  constructor(options: LoginBookOptions = {}) {
    this.linkTtlMs = options.linkTtlMs ?? 5 * 60_000;
    this.loginTtlMs = options.loginTtlMs ?? 12 * 3600_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? randomBytes;
  }

  /** A new one-time link secret and when it expires. */
  issueLink(): { secret: string; expiresAt: number } {
    this.sweep();
    const secret = this.random(32).toString('base64url');
    const expiresAt = this.now() + this.linkTtlMs;
    this.links.set(hash(secret), expiresAt);
    return { secret, expiresAt };
  }

  /** Uses up a link: the new login's cookie value, or null when the link is unknown, used or expired. */
  redeem(secret: string): { cookie: string; login: Login } | null {
    const key = hash(secret);
    const expiresAt = this.links.get(key);
    // Used once, whatever happens next.
    this.links.delete(key);
    if (expiresAt === undefined || expiresAt < this.now()) return null;
    const cookie = this.random(32).toString('base64url');
    const login: Login = { key: hash(cookie), csrf: this.random(32).toString('base64url'), createdAt: this.now() };
    this.logins.set(login.key, login);
    return { cookie, login };
  }

  /** The login a cookie value names, while it lasts. */
  find(cookie: string | undefined): Login | null {
    if (!cookie) return null;
    const login = this.logins.get(hash(cookie));
    if (!login) return null;
    if (login.createdAt + this.loginTtlMs < this.now()) {
      this.logins.delete(login.key);
      return null;
    }
    return login;
  }

  /** Whether a form's token is this login's. */
  csrfMatches(login: Login, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const a = Buffer.from(login.csrf);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.links) if (expiresAt < now) this.links.delete(key);
  }
}
