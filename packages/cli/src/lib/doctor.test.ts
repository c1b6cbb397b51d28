// doctor's checks against a stand-in relay on loopback, whose answers each test chooses.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { homeLayout, writeAgentConfig, writeHostKey, type HomeLayout } from '@crosstalk/agent/home';
import { PROTOCOL_VERSION } from '@crosstalk/core';
import { generateEd25519 } from '@crosstalk/core/token';
import { runChecks, type Check } from './doctor.js';

let dir: string;
let layout: HomeLayout;
let server: Server;
let url: string;
let health: Record<string, unknown>;
let sessions: { status: number; body: unknown };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-doctor-'));
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/health') return res.end(JSON.stringify(health));
    res.statusCode = sessions.status;
    res.end(JSON.stringify(sessions.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  layout = homeLayout(join(dir, 'home'));
  await writeHostKey(layout.hostKey, (await generateEd25519()).privateJwk);
  await writeAgentConfig(layout.config, { version: 1, relayUrl: url, relayId: 'relay-one', host: 'h1', conversationsDir: join(dir, 'copies') });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  health = { ok: true, relayId: 'relay-one', epoch: 'e1', protocol: PROTOCOL_VERSION, version: '0.1.0', head: 3, time: new Date().toISOString() };
  sessions = {
    status: 200,
    body: { sessions: [{ name: 's1', host: 'h1', kind: 'other', wake: { type: 'none' }, joinedAt: new Date().toISOString(), online: true }] },
  };
});

const run = (now?: () => number) => runChecks({ layout, platform: 'linux', tmuxVersion: async () => 'tmux 3.3a', ...(now ? { now } : {}) });
const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

describe('doctor checks', () => {
  it('all is well except the agent, which is not running', async () => {
    const c = byName(await run());
    for (const name of ['enrollment', 'relay', 'clock', 'keys', 'auth', 'tmux', 'copies']) expect(c[name]?.status, name).toBe('ok');
    expect(c.auth?.message).toContain('1 session registered');
    expect(c.agent).toMatchObject({ status: 'fail', hint: expect.stringContaining('crosstalk agent run') });
    expect(c.sessions?.status).toBe('skip');
    // Spawning is off unless the host's config turns it on, and doctor says so.
    expect(c.spawn).toMatchObject({ status: 'ok', message: expect.stringMatching(/^spawn: off/) });
  });

  it('shows the spawn policy when it is on, and warns when it allows nothing', async () => {
    const config = JSON.parse(await readFile(layout.config, 'utf8')) as Record<string, unknown>;
    await writeFile(layout.config, JSON.stringify({ ...config, spawn: { enabled: true, allow: ['laptop'], roots: ['/srv/work'] } }));
    expect(byName(await run()).spawn).toMatchObject({
      status: 'ok',
      message:
        'spawn: ON: allowed: laptop; kinds: claude-code, codex; roots: /srv/work; at most 2 at once (remote code execution by design: see docs/SPAWN.md)',
    });
    await writeFile(layout.config, JSON.stringify({ ...config, spawn: { enabled: true } }));
    expect(byName(await run()).spawn).toMatchObject({ status: 'warn', message: expect.stringContaining('it allows nothing yet') });
    // Who may read its screens through the relay is said when it is not the admin alone, on or off.
    await writeFile(layout.config, JSON.stringify({ ...config, spawn: { peek: ['laptop', 'admin'] } }));
    expect(byName(await run()).spawn).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^spawn: off .*; screens readable from elsewhere by: laptop, admin$/),
    });
    await writeFile(layout.config, JSON.stringify(config));
  });

  it('clock skew: a warning past 5 s, a failure past the 30 s token tolerance', async () => {
    expect(byName(await run(() => Date.now() + 10_000)).clock).toMatchObject({ status: 'warn', message: expect.stringMatching(/ahead of the relay/) });
    expect(byName(await run(() => Date.now() - 45_000)).clock).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/behind the relay; requests are refused beyond 30 s/),
    });
  });

  it('another relay at the URL, or another protocol, fails the relay check', async () => {
    health.relayId = 'relay-two';
    const other = byName(await run());
    expect(other.relay).toMatchObject({ status: 'fail', message: expect.stringContaining('is another relay') });
    expect(other.auth?.status).toBe('skip');
    health.relayId = 'relay-one';
    health.protocol = PROTOCOL_VERSION + 1;
    expect(byName(await run()).relay).toMatchObject({ status: 'fail', hint: expect.stringContaining('upgrade') });
  });

  it("a key the relay does not accept fails the auth check with the relay's hint", async () => {
    sessions = { status: 401, body: { code: 'HOST_UNKNOWN', message: 'this host is not enrolled with the relay', hint: 'ask the relay admin for an invite' } };
    expect(byName(await run()).auth).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('[HOST_UNKNOWN]'),
      hint: 'ask the relay admin for an invite',
    });
  });

  it('a home that is not enrolled fails the enrollment check; no tmux is a warning', async () => {
    const c = byName(await runChecks({ layout: homeLayout(join(dir, 'nowhere')), platform: 'linux', tmuxVersion: async () => null }));
    expect(c.enrollment?.status).toBe('fail');
    expect(c.tmux?.status).toBe('warn');
  });

  it('warns when crosstalk is not on PATH, since woken sessions are told to run it', async () => {
    const base = { layout: homeLayout(join(dir, 'nowhere')), platform: 'linux' as const, tmuxVersion: async () => 'tmux 3.3a' };
    expect(byName(await runChecks({ ...base, crosstalkOnPath: async () => null })).command).toMatchObject({
      status: 'warn',
      hint: expect.stringContaining('npm install -g crosstalk-cli'),
    });
    expect(byName(await runChecks({ ...base, crosstalkOnPath: async () => '/usr/bin/crosstalk' })).command).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('/usr/bin/crosstalk'),
    });
  });
});
