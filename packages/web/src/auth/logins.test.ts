// The login book's rules: a link works once and only for a while; a login lasts its time; a form
// token matches only its own login.
import { describe, expect, it } from 'vitest';
import { LoginBook } from './logins.js';

function clocked() {
  let now = 1_000_000;
  return { book: new LoginBook({ linkTtlMs: 60_000, loginTtlMs: 3_600_000, now: () => now }), advance: (ms: number) => (now += ms) };
}

describe('LoginBook', () => {
  it('lets a link log in once; the second use is refused', () => {
    const { book } = clocked();
    const { secret } = book.issueLink();
    const first = book.redeem(secret);
    expect(first).not.toBeNull();
    expect(book.find(first?.cookie)).toEqual(first?.login);
    expect(book.redeem(secret)).toBeNull();
  });

  it('refuses an expired link, an unknown one, and a login past its time', () => {
    const { book, advance } = clocked();
    const late = book.issueLink();
    advance(60_001);
    expect(book.redeem(late.secret)).toBeNull();
    expect(book.redeem('not-a-link')).toBeNull();
    const fresh = book.redeem(book.issueLink().secret);
    expect(book.find(fresh?.cookie)).not.toBeNull();
    advance(3_600_001);
    expect(book.find(fresh?.cookie)).toBeNull();
    expect(book.find(undefined)).toBeNull();
  });

  it("matches a form's token only to its own login", () => {
    const { book } = clocked();
    const a = book.redeem(book.issueLink().secret);
    const b = book.redeem(book.issueLink().secret);
    if (!a || !b) throw new Error('no login');
    expect(book.csrfMatches(a.login, a.login.csrf)).toBe(true);
    expect(book.csrfMatches(a.login, b.login.csrf)).toBe(false);
    expect(book.csrfMatches(a.login, undefined)).toBe(false);
    expect(book.csrfMatches(a.login, `${a.login.csrf}x`)).toBe(false);
    expect(a.login.csrf).not.toBe(b.login.csrf);
  });
});
