/// <reference lib="dom" />
// `crosstalk web` in a real headless Chromium: a relay, two hosts with their agents, a scripted
// coding agent in a pane on beta, and the web view on alpha. A person logs in with the printed
// link, takes part as a session of kind human, opens a conversation with beta's session, sees
// beta's CLI turns arrive live, posts a turn that reaches beta's copy and wakes the session
// there, and moderates (extend, close) from the page; a hostile body stays inert; requests
// without the cookie or from a foreign Origin are refused. Screenshots go to test-results/browser.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARTIFACTS, explain, type Host, Lab, launchChromium, type Proc, type ScriptedSession, scriptedSession, skipBrowserTier } from '../harness/index.js';

const skip = skipBrowserTier();

let lab: Lab;
let alpha: Host;
let beta: Host;
let bob: ScriptedSession;
let web: Proc;
let login: { url: string; login: string };
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let id = '';

async function shot(name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The turn `n` of the open conversation, once the page shows it. */
const turnOnPage = (n: number) => page.waitForSelector(`#turn-${n}`, { timeout: 15_000 });

describe.skipIf(skip)('the web view in Chromium', () => {
  beforeAll(async () => {
    lab = await Lab.create('web');
    await lab.startRelay();
    alpha = await lab.host('alpha');
    beta = await lab.host('beta');
    await lab.startAgent(alpha);
    await lab.startAgent(beta);
    bob = await scriptedSession(lab, beta, { name: 'bob' });
    web = lab.spawn('crosstalk web (alpha)', alpha.home, ['web', '--port', '0', '--json']);
    login = await lab.waitFor('the login link', () => {
      if (!web.running) throw new Error(`crosstalk web exited: ${web.stderr()}`);
      const line = web.stdout().split('\n')[0];
      return line?.endsWith('}') ? (JSON.parse(line) as { url: string; login: string }) : undefined;
    });
    browser = await launchChromium(lab.dir);
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && pageErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`));
    page.on('dialog', (d) => {
      pageErrors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });

  // A failure shows the page as the browser had it, and every process's output.
  beforeEach(({ onTestFailed }) => {
    onTestFailed(async () => {
      const html = await page?.content().catch((e: unknown) => String(e));
      process.stderr.write(`----- the page (${page?.url()})\n${html}\n----- page errors\n${pageErrors.join('\n')}\n${await lab.logs()}\n`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.cleanup();
  });

  it('refuses a request without the login cookie', async () => {
    const res = await fetch(`${login.url}/`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('LOGIN_REQUIRED');
  });

  it('logs in with the printed link, which works once, into an HttpOnly, SameSite=Strict cookie', async () => {
    await page.goto(login.login);
    await page.waitForURL(`${login.url}/`);
    expect(await page.title()).toBe('Conversations · crosstalk');
    const [cookie] = await browser.cookies(login.url);
    expect(cookie).toMatchObject({ name: 'crosstalk_login', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const again = await fetch(login.login);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('LOGIN_LINK_INVALID');
  });

  it("adds a person on this host from the Sessions page, which shows each session's state", async () => {
    await page.goto(`${login.url}/sessions`);
    await page.fill('#human-form input[name=name]', 'alice');
    await page.click('#human-form button');
    await page.waitForSelector('#s-alice');
    expect(await page.textContent('#s-alice')).toMatch(/alpha\s*alice\s*human\s*person/);
    expect(await page.textContent('#s-bob')).toMatch(/beta\s*bob\s*other\s*online/);
    // What bob is doing, as beta's agent reports it (no hooks in a scripted pane: unknown); a person has no state.
    await page.waitForFunction(() => document.querySelector('#sessions thead')?.textContent?.includes('State'), null, { timeout: 15_000 });
    expect(await page.textContent('#s-bob')).toMatch(/online\s*unknown/);
    expect(await page.textContent('#s-alice')).toMatch(/person\s*—/);
    await shot('sessions');
  });

  it('opens a conversation from the page, and the session on the other host is woken', async () => {
    await page.goto(`${login.url}/`);
    await page.click('details.open summary');
    await page.selectOption('#open-form select[name=as]', 'alice');
    await page.fill('#open-form input[name=topic]', 'users API shape');
    await page.fill('#open-form input[name=with]', 'bob');
    await page.fill('#open-form textarea[name=body]', 'Paginated **or** not?');
    await page.click('#open-form button');
    await page.waitForURL(/\/c\/users-api-shape-[a-z0-9]+$/);
    id = new URL(page.url()).pathname.split('/')[2] ?? '';
    expect(await page.textContent('#banner')).toBe('Next: bob (turn 2).');
    await lab.waitFor('the wake-up in bob’s pane', async () => (await bob.lines()).some((l) => l.includes(`your turn in ${id} (turn 2/20)`)));
  });

  it("shows a turn posted by the CLI within 1 s, without a reload; then it is the person's turn, in the tab title too", async () => {
    await page.evaluate(() => Object.assign(window, { __same: true }));
    const reply = await beta.run(['reply', id, '--as', 'bob', '--expect-turn', '2', '--body', 'Paginated, with a `next_cursor`.']);
    expect(reply.exitCode, explain(reply)).toBe(0);
    const posted = Date.now();
    await page.waitForSelector('#turn-2', { timeout: 5000 });
    const latency = Date.now() - posted;
    expect(latency, `turn on the page ${latency} ms after the CLI returned`).toBeLessThanOrEqual(1000);
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    expect(await page.innerHTML('#turn-2 .body')).toContain('<code>next_cursor</code>');
    await page.waitForFunction(() => document.title.startsWith('Your turn (alice)'));
    expect(await page.textContent('#banner')).toBe('Your turn (alice): post turn 3.');
    await shot('conversation');
  });

  it("posts a person's turn from the page: it reaches beta's copy and wakes the session there, and the person gets no wake-up receipt", async () => {
    await page.fill('#turn-form textarea[name=body]', 'Agreed: paginated.\nShip it behind a flag.');
    await page.click('#turn-form button');
    await turnOnPage(3);
    const copy = join(beta.home, 'conversations', `${id}.md`);
    await lab.waitFor("the person's turn in beta's copy", async () =>
      (await readFile(copy, 'utf8').catch(() => '')).includes('Agreed: paginated.\nShip it behind a flag.\n'),
    );
    await lab.waitFor('the wake-up for turn 4 in bob’s pane', async () => (await bob.lines()).some((l) => l.includes(`your turn in ${id} (turn 4/20)`)));
    const status = await alpha.run(['status', id, '--json']);
    const receipts = status.json<{ receipts: Array<{ session: string; status: string }> }>().receipts;
    expect(receipts.filter((r) => r.session === 'alice')).toEqual([]);
    expect(receipts.some((r) => r.session === 'bob' && r.status === 'delivered')).toBe(true);
  });

  it('keeps a hostile body inert', async () => {
    const body = [
      '<script>window.__xss = 1</script>',
      '<img src=x onerror="window.__xss = 1">',
      '[click me](javascript:window.__xss=1)',
      '<a href="javascript:window.__xss=1">or me</a>',
      '"><svg onload="window.__xss=1">',
    ].join('\n\n');
    const reply = await beta.run(['reply', id, '--as', 'bob', '--expect-turn', '4', '--body', body]);
    expect(reply.exitCode, explain(reply)).toBe(0);
    await turnOnPage(4);
    expect(await page.$$('#turn-4 script, #turn-4 img, #turn-4 svg, #turn-4 [onerror], #turn-4 [onload]')).toEqual([]);
    expect(await page.$$eval('#turn-4 a', (as) => as.map((a) => a.getAttribute('href')))).toEqual([]);
    await page.click('#turn-4 .body');
    await page.reload();
    await turnOnPage(4);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.textContent('#turn-4 .body')).toContain('<script>window.__xss = 1</script>');
  });

  it('refuses a form from a foreign origin, even with the cookie and the token', async () => {
    const [cookie] = await browser.cookies(login.url);
    const csrf = await page.getAttribute('#turn-form input[name=csrf]', 'value');
    const form = new URLSearchParams({ csrf: csrf ?? '', as: 'alice', expectedTurn: '5', key: 'foreign-1', body: 'forged' });
    const headers = { cookie: `${cookie?.name}=${cookie?.value}`, 'content-type': 'application/x-www-form-urlencoded' };
    const foreign = await fetch(`${login.url}/c/${id}/turn`, {
      method: 'POST',
      body: form,
      headers: { ...headers, origin: 'http://evil.example' },
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('CSRF_REFUSED');
    const noCookie = await fetch(`${login.url}/c/${id}/turn`, {
      method: 'POST',
      body: form,
      headers: { 'content-type': headers['content-type'], origin: login.url },
      redirect: 'manual',
    });
    expect(noCookie.status).toBe(401);
    expect((await alpha.run(['read', id, '--json'])).json<{ conversation: { turns: unknown[] } }>().conversation.turns).toHaveLength(4);
  });

  it('lets the moderator extend and close from the page; the copies on both hosts say so', async () => {
    await page.fill('#extend-form input[name=value]', '5');
    await page.click('#extend-form button');
    await page.waitForFunction(() => document.querySelector('#head .facts')?.textContent?.includes('turn 4/25'));
    expect(await page.textContent('#timeline')).toContain('Moderation — alice');
    await page.fill('#close-form textarea[name=resolution]', 'Paginated with next_cursor, behind a flag.');
    await page.click('#close-form button');
    await page.waitForSelector('#timeline article.closed');
    expect(await page.textContent('#banner')).toBe('Closed.');
    for (const host of [alpha, beta]) {
      const copy = join(host.home, 'conversations', `${id}.md`);
      await lab.waitFor(`the close in ${host.name}'s copy`, async () => (await readFile(copy, 'utf8').catch(() => '')).includes('## Closed — alice'));
    }
    const markdown = await page.request.get(`${login.url}/c/${id}/markdown`);
    expect(await markdown.text()).toBe(await readFile(join(alpha.home, 'conversations', `${id}.md`), 'utf8'));
    await page.goto(`${login.url}/`);
    expect(await page.textContent(`#c-${id}`)).toContain('closed');
    expect(pageErrors).toEqual([]);
  });

  it("updates the list live: a conversation bob opens with alice comes first, marked as alice's turn, in the tab title too", async () => {
    await page.evaluate(() => Object.assign(window, { __same: true }));
    const opened = await beta.run(['open', '--as', 'bob', '--topic', 'rate limits', '--with', 'alice', '--body', 'Per host or per session?', '--json']);
    expect(opened.exitCode, explain(opened)).toBe(0);
    const second = opened.json<{ id: string }>().id;
    await page.waitForSelector(`#rows > #c-${second}:first-child.mine`, { timeout: 15_000 });
    expect(await page.textContent(`#c-${second}`)).toMatch(/in-progress\s*rate limits[\s\S]*your turn \(alice\)\s*1\/20/);
    await page.waitForFunction(() => document.title === '(1) Your turn · Conversations · crosstalk');
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    await shot('conversations');
    expect(pageErrors).toEqual([]);
  });
});
