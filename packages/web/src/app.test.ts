// The web app's rules, through its real handlers: every request needs the login cookie (the
// login link works once and sets it HttpOnly and SameSite=Strict); every form needs this login's
// CSRF token and this server's Origin; pages are served under a strict Content-Security-Policy,
// with no inline script or handler, and every value escaped; refused input is said in words;
// a change to the state reaches an open page's event stream.
import { decideArchive, decidePost } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { strayOpenings, tagsOf } from './__fixtures__/markup.js';
import { formPost, ORIGIN, world } from './__fixtures__/world.js';

const XSS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '[click](javascript:window.__xss=1)',
  '"><svg onload=window.__xss=1>',
  "'; window.__xss=1; //",
].join('\n\n');

/** No script but our own file, no handler attribute, no inline style, no link anywhere but http(s), mail and this server. */
function expectInert(page: string): void {
  expect(strayOpenings(page)).toBe(0);
  for (const tag of tagsOf(page)) {
    if (tag.name === 'script') expect(tag.attrs.src).toMatch(/^\/assets\/app\.js\?v=/);
    for (const [name, value] of Object.entries(tag.attrs)) {
      expect(name, `${name} on <${tag.name}>`).not.toMatch(/^on/);
      if (name === 'href' || name === 'action' || name === 'src') expect(value).toMatch(/^(?:https?:|mailto:|\/)/);
    }
    expect(['iframe', 'object', 'embed', 'img', 'svg', 'base'].includes(tag.name), `<${tag.name}>`).toBe(false);
  }
}

describe('logging in', () => {
  it('refuses every request without the cookie', async () => {
    const w = await world();
    for (const path of ['/', '/c/users-api-1a2b', '/sessions', '/events/list', '/assets/app.js', '/c/users-api-1a2b/markdown', '/nowhere']) {
      const res = await w.request(path);
      expect(res.status, path).toBe(401);
      expect(await res.text()).toContain('LOGIN_REQUIRED');
    }
    expect((await w.request('/c/users-api-1a2b/turn', formPost({ body: 'x' }))).status).toBe(401);
    expect((await w.request('/', { cookie: 'crosstalk_login=forged' })).status).toBe(401);
    // Only the tab's icon, which a browser asks for by itself, also from the login page.
    const icon = await w.request('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('sets an HttpOnly, SameSite=Strict cookie from a link that works once', async () => {
    const w = await world();
    const { secret } = w.deps.logins.issueLink();
    const first = await w.request(`/login/${secret}`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^crosstalk_login=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect((await w.request('/', { cookie: cookie.split(';')[0] })).status).toBe(200);
    const again = await w.request(`/login/${secret}`);
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('LOGIN_LINK_INVALID');
  });

  it('answers only to its own host names', async () => {
    const w = await world();
    const { cookie } = await w.login();
    const rebound = await w.request('/', { cookie, headers: { host: 'attacker.example:7718' } });
    expect(rebound.status).toBe(403);
    expect(await rebound.text()).toContain('HOST_HEADER_REFUSED');
  });
});

describe('forms', () => {
  const turn = (csrf: string) => ({ csrf, as: 'alice', expectedTurn: '2', key: 'k-web-1', body: '' });

  it('refuses a form without the token, with another token, or from another origin', async () => {
    const w = await world();
    const { cookie, csrf } = await w.login();
    const other = await w.login();
    const cases: Array<[string, RequestInit]> = [
      ['no token', formPost({ ...turn(csrf), csrf: '' })],
      ["another login's token", formPost(turn(other.csrf))],
      ['no Origin', formPost(turn(csrf), null)],
      ['a foreign Origin', formPost(turn(csrf), 'http://evil.example')],
      ['a look-alike Origin', formPost(turn(csrf), 'http://127.0.0.1:7718.evil.example')],
      ['Origin null', formPost(turn(csrf), 'null')],
    ];
    for (const [what, init] of cases) {
      const res = await w.request('/c/users-api-1a2b/turn', { ...init, cookie });
      expect(res.status, what).toBe(403);
      expect(await res.text(), what).toContain('CSRF_REFUSED');
    }
    const crossSite = formPost(turn(csrf));
    (crossSite.headers as Record<string, string>)['sec-fetch-site'] = 'cross-site';
    expect((await w.request('/c/users-api-1a2b/turn', { ...crossSite, cookie })).status).toBe(403);
  });

  it('says what is wrong with a form in words, the way the CLI does, and keeps what was typed', async () => {
    const w = await world();
    const { cookie, csrf } = await w.login();
    const empty = await w.request('/c/users-api-1a2b/turn', { ...formPost(turn(csrf)), cookie });
    expect(empty.status).toBe(400);
    const page = await empty.text();
    expect(page).toContain('the body is empty');
    expect(page).toContain('<code>EMPTY_BODY</code>');
    const named = await w.request('/c/users-api-1a2b/moderate', { ...formPost({ csrf, as: 'claude-here', action: 'add', value: '../Evil' }), cookie });
    expect(named.status).toBe(400);
    expect(await named.text()).toContain('INVALID_NAME');
    const open = await w.request('/open', { ...formPost({ csrf, as: 'alice', key: 'k2', topic: 'a <b>topic</b>', with: 'codex-there', body: '' }), cookie });
    expect(open.status).toBe(400);
    const refilled = await open.text();
    expect(refilled).toContain('value="a &lt;b&gt;topic&lt;/b&gt;"');
    expectInert(refilled);
  });

  it('will not turn a coding agent session into a person', async () => {
    const w = await world();
    const { cookie, csrf } = await w.login();
    const res = await w.request('/sessions/human', { ...formPost({ csrf, name: 'claude-here' }), cookie });
    const text = await res.text();
    expect(res.status, text).toBe(409);
    expect(text).toContain('SESSION_TAKEN');
  });
});

describe('pages', () => {
  it('are served under a strict Content-Security-Policy, refusals included', async () => {
    const w = await world();
    const { cookie } = await w.login();
    for (const res of [await w.request('/', { cookie }), await w.request('/'), await w.request('/c/users-api-1a2b', { cookie })]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('render a body full of HTML, scripts and javascript: links inert, on the page and in its live update', async () => {
    const w = await world(XSS);
    const { cookie } = await w.login();
    const page = await (await w.request('/c/users-api-1a2b', { cookie })).text();
    expectInert(page);
    expect(page).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
    expectInert(await (await w.request('/', { cookie })).text());
    const copy = await w.request('/c/users-api-1a2b/markdown', { cookie });
    expect(copy.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await copy.text()).toContain(XSS);
  });

  it('show "your turn" to the person here who holds the floor, in the banner and the tab title', async () => {
    const w = await world();
    const { cookie } = await w.login();
    const page = await (await w.request('/c/users-api-1a2b', { cookie })).text();
    expect(page).toContain('<title>Your turn (alice) · users API shape · crosstalk</title>');
    expect(page).toContain('Your turn (alice): post turn 2.');
    expect(await (await w.request('/', { cookie })).text()).toContain('<title>(1) Your turn · Conversations · crosstalk</title>');
  });

  it('hide an archived conversation from the list unless archived ones are asked for, as `crosstalk list` does', async () => {
    const w = await world();
    const { cookie } = await w.login();
    expect(await (await w.request('/', { cookie })).text()).toContain('id="c-users-api-1a2b"');
    w.relay.commit(decideArchive(w.relay.state, { actor: { kind: 'admin' }, conversation: 'users-api-1a2b', at: w.relay.now() }));
    w.sync();
    const list = await (await w.request('/', { cookie })).text();
    expect(list).not.toContain('id="c-users-api-1a2b"');
    expect(list).toContain('name="archived" value="1"');
    expect(await (await w.request('/?archived=1', { cookie })).text()).toContain('id="c-users-api-1a2b"');
    expect((await w.request('/c/users-api-1a2b', { cookie })).status).toBe(200);
  });

  it("stream a conversation's change to its open page", async () => {
    const w = await world();
    const { cookie } = await w.login();
    const seq = w.deps.live.seq;
    const res = await w.request(`/events/c/users-api-1a2b?since=${seq}`, { cookie });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    w.relay.commit(
      decidePost(w.relay.state, {
        actor: { kind: 'session', session: 'alice', host: 'here' },
        conversation: 'users-api-1a2b',
        expectedTurn: 2,
        key: 'k2',
        body: 'Paginated, **with** a cursor.',
        at: w.relay.now(),
      }),
    );
    w.sync();
    let text = '';
    while (!text.includes('event: update')) text += new TextDecoder().decode((await reader.read()).value);
    while (!/event: update\ndata: .*\nid: \d+\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const data = JSON.parse(/event: update\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as { regions: Record<string, string>; title: string };
    expect(data.regions.timeline).toContain('<strong>with</strong> a cursor.');
    expect(data.regions.head).toContain('Next: claude-here (turn 3).');
    expect(data.title).toBe('users API shape · crosstalk');
    expect(new URL(ORIGIN).host).toBe('127.0.0.1:7718');
  });
});
