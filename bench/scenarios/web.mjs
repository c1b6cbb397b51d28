// The web view in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core;
// nothing downloads a browser). `crosstalk web` runs as users run it, on a host of a relay that
// holds 500 conversations. Two figures: the list's first contentful paint, each load cold (a
// fresh browser context: no cache, no connection), against its 300 ms budget; and a turn posted
// over HTTP until it is on an open conversation page, pushed over Server-Sent Events.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { enrolledHome } from '../lib/homes.mjs';
import { adminOf } from '../lib/hosts.mjs';
import { pool } from '../lib/pool.mjs';
import { startEntryRelay } from '../lib/relay.mjs';
import { median, p95 } from '../lib/stats.mjs';
import { within } from '../lib/wait.mjs';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/bundle/bin.js', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CONVERSATIONS = 500;
const key = () => randomBytes(12).toString('hex');

/** `crosstalk web --port 0 --json` as the host; resolves with its URL and login link once it serves. */
async function startWeb(home, baseEnv) {
  const lines = [];
  const child = spawn(process.execPath, [CLI, 'web', '--port', '0', '--json'], {
    env: { ...baseEnv, CROSSTALK_HOME: home.layout.home, TMUX: '', TMUX_PANE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => lines.push(d.toString('utf8')));
  const first = await within(
    new Promise((resolve, reject) => {
      child.stdout.on('data', () => out.includes('\n') && resolve(JSON.parse(out.split('\n')[0])));
      child.once('exit', (code) => reject(new Error(`crosstalk web exited with ${code}\n${lines.join('')}`)));
    }),
    120_000,
    'crosstalk web to serve',
  );
  return {
    ...first,
    logs: () => `--- crosstalk web (pid ${child.pid})\n${lines.join('').slice(-20_000)}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await within(new Promise((r) => child.once('exit', r)), 15_000, 'crosstalk web stop').catch(() => child.kill('SIGKILL'));
    },
  };
}

/** One cold load of the list in a fresh context: its first contentful paint, in ms from navigation. */
async function coldPaint(browser, url, cookie) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    await context.addCookies([{ ...cookie, url }]);
    const page = await context.newPage();
    await page.goto(`${url}/`, { waitUntil: 'load' });
    const rows = await page.$$eval('#rows > .row', (rs) => rs.length);
    if (rows !== CONVERSATIONS) throw new Error(`the list shows ${rows} conversations, not ${CONVERSATIONS}`);
    const handle = await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime, null, { timeout: 10_000 });
    return /** @type {number} */ (await handle.jsonValue());
  } finally {
    await context.close();
  }
}

export async function web(ctx) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const loads = ctx.quick ? 5 : 20;
  const turns = 20;
  const dir = await ctx.tempDir('web');
  const relay = await startEntryRelay(join(dir, 'relay'));
  ctx.defer(() => relay.stop());
  ctx.logs(() => relay.logs());
  const admin = await adminOf(relay.url, join(dir, 'relay'), relay.relayId);
  const home = await enrolledHome(dir, 'bench-web', relay.url, admin);
  for (const name of ['web-a', 'web-b']) await home.client.registerSession({ name, kind: 'other', wake: { type: 'none' } });
  ctx.progress(`opening ${CONVERSATIONS} conversations`);
  const topics = Array.from({ length: CONVERSATIONS }, (_, i) => `topic ${i + 1}: the users API page shape`);
  await pool(topics, 8, (topic) =>
    home.client.openConversation({
      as: 'web-a',
      topic,
      with: ['web-b'],
      body: 'Paginated **or** not? A `next_cursor` keeps the client simple.',
      idempotencyKey: key(),
    }),
  );

  const server = await startWeb(home, ctx.env);
  ctx.defer(() => server.stop());
  ctx.logs(() => server.logs());
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  ctx.defer(() => browser.close());

  // Logged in once, with the printed link; every cold load carries that cookie.
  const login = await browser.newContext();
  const page = await login.newPage();
  await page.goto(server.login);
  await page.waitForURL(`${server.url}/`);
  const [cookie] = await login.cookies(server.url);
  if (!cookie) throw new Error('no login cookie');

  ctx.progress(`${loads} cold loads of the list`);
  await coldPaint(browser, server.url, { name: cookie.name, value: cookie.value });
  const paints = [];
  for (let i = 0; i < loads; i++) paints.push(await coldPaint(browser, server.url, { name: cookie.name, value: cookie.value }));

  ctx.progress(`${turns} turns onto an open conversation page`);
  const opened = await home.client.openConversation({
    as: 'web-a',
    topic: 'turn to page',
    with: ['web-b'],
    maxTurns: 40,
    body: 'Turn 1.',
    idempotencyKey: key(),
  });
  const id = opened.conversation.id;
  await page.goto(`${server.url}/c/${id}`);
  await page.waitForSelector('#link-state.live', { timeout: 10_000 });
  const latencies = [];
  for (let n = 2; n < 2 + turns; n++) {
    const as = n % 2 === 0 ? 'web-b' : 'web-a';
    const started = performance.now();
    await home.client.postTurn(id, { as, expectedTurn: n, idempotencyKey: key(), body: `Turn ${n}: paginated, with a \`next_cursor\`.` });
    await page.waitForSelector(`#turn-${n}`, { state: 'attached', timeout: 10_000 });
    latencies.push(performance.now() - started);
  }
  await login.close();

  return [
    {
      name: `web view: list of ${CONVERSATIONS} conversations, first contentful paint (cold load, Chromium)`,
      unit: 'ms',
      median: median(paints),
      p95: p95(paints),
      target: { op: '<=', value: 300 },
      note: `${loads} cold loads, each in a fresh browser context, after one not counted`,
    },
    {
      name: 'web view: turn posted → on the open conversation page (SSE)',
      unit: 'ms',
      median: median(latencies),
      p95: p95(latencies),
      target: { op: '<=', value: 1000 },
      note: `${turns} turns, from the HTTP post to the turn in the page's DOM`,
    },
  ];
}
