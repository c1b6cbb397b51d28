import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { Lab } from '../__fixtures__/lab.js';
import { hostClient } from '../home/host-client.js';
import { homeLayout, readAgentConfig, readHostKey, type HomeLayout } from '../home/index.js';
import { enroll, normalizeRelayUrl } from './enroll.js';

let lab: Lab;
let home: string;
let layout: HomeLayout;

beforeAll(async () => {
  lab = await Lab.start();
});
afterAll(async () => {
  await lab?.cleanup();
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ct-enroll-'));
  layout = homeLayout(join(home, 'h'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(home, { recursive: true, force: true });
});

async function refused(p: Promise<unknown>): Promise<CrosstalkError> {
  const err = await p.then(
    () => new Error('enrollment should have failed'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrosstalkError);
  return err as CrosstalkError;
}

/** Nothing of the enrollment may be on disk. */
async function expectNothingWritten(): Promise<void> {
  const entries = await readdir(layout.home).catch(() => []);
  expect(entries).not.toContain('config.json');
  expect(entries).not.toContain('host-key.json');
}

describe('enroll', () => {
  it('registers a fresh key and writes an owner-only key and a valid config', async () => {
    const result = await enroll({ relayUrl: `${lab.url}/`, invite: await lab.invite(), machineHostname: 'Build-Box.local', layout });
    expect(result.config).toMatchObject({ relayUrl: lab.url, relayId: lab.relay.relayId, host: 'build-box', conversationsDir: layout.conversationsDir });
    expect(result.epoch).toBe(lab.relay.epoch);
    expect((await stat(layout.hostKey)).mode & 0o777).toBe(0o600);
    expect((await stat(layout.config)).mode & 0o777).toBe(0o600);
    expect(await readAgentConfig(layout.config)).toEqual(result.config);
    const key = await readHostKey(layout.hostKey);
    const hosts = await lab.admin.listHosts();
    expect(hosts.hosts.map((h) => h.name)).toContain('build-box');
    // The stored key is the one the relay now accepts for this host.
    const { client } = await hostClient({ layout });
    expect((await client.listSessions()).sessions).toEqual(expect.any(Array));
    expect(key.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a used invite, a taken host name and a wrong host, writing nothing', async () => {
    const invite = await lab.invite();
    await enroll({ relayUrl: lab.url, invite, host: 'first', layout: homeLayout(join(home, 'first')) });

    const used = await refused(enroll({ relayUrl: lab.url, invite, host: 'second', layout }));
    expect(used.code).toBe('INVITE_USED');
    await expectNothingWritten();

    const taken = await refused(enroll({ relayUrl: lab.url, invite: await lab.invite(), host: 'first', layout }));
    expect(taken.code).toBe('HOST_TAKEN');
    expect(taken.hint).toMatch(/another --host name/);
    await expectNothingWritten();

    const mismatch = await refused(enroll({ relayUrl: lab.url, invite: await lab.invite('named'), host: 'other', layout }));
    expect(mismatch.code).toBe('INVITE_HOST_MISMATCH');
    const garbage = await refused(enroll({ relayUrl: lab.url, invite: 'not-an-invite', host: 'other', layout }));
    expect(garbage.code).toBe('INVITE_INVALID');
    await expectNothingWritten();
  });

  it('checks its settings before spending the invite', async () => {
    const invite = await lab.invite();
    const err = await refused(enroll({ relayUrl: lab.url, invite, host: 'tidy', layout, conversationsDir: join(home, 'copies\u001b[31m') }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/conversationsDir/);
    await expectNothingWritten();
    // The invite is still good.
    expect((await enroll({ relayUrl: lab.url, invite, host: 'tidy', layout })).config.host).toBe('tidy');
  });

  it('refuses an expired invite, writing nothing', async () => {
    // The relay's clock is Date.now; moving it past the invite's hour expires the invite.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const own = await Lab.start();
    try {
      const invite = (await own.admin.createInvite({ expiresIn: 60 })).invite;
      vi.setSystemTime(Date.now() + 61_000);
      const expired = await refused(enroll({ relayUrl: own.url, invite, host: 'late', layout }));
      expect(expired.code).toBe('INVITE_EXPIRED');
      await expectNothingWritten();
    } finally {
      vi.useRealTimers();
      await own.cleanup();
    }
  });

  it('says the relay is unreachable, or speaks another protocol, writing nothing', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, relayId: 'r-future-1', epoch: 'e-future-1', protocol: 4, version: '9.0.0', head: 0, time: new Date().toISOString() }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const mismatch = await refused(enroll({ relayUrl: url, invite: 'a.b', host: 'h', layout }));
      expect(mismatch.code).toBe('PROTOCOL_TOO_OLD');
      expect(mismatch.message).toMatch(/crosstalk 9\.0\.0\) speaks protocol 4; this program speaks protocol 3: upgrade crosstalk on this machine to 9\.0\.0/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const unreachable = await refused(enroll({ relayUrl: url, invite: 'a.b', host: 'h', layout }));
    expect(unreachable.code).toBe('RELAY_UNREACHABLE');
    expect(unreachable.message).toBe(`relay unreachable at ${url} (ECONNREFUSED)`);
    await expectNothingWritten();

    expect((await refused(enroll({ relayUrl: 'ftp://x', invite: 'a.b', layout }))).code).toBe('INVALID_REQUEST');
    expect(normalizeRelayUrl(' http://10.0.0.2:7717/relay/ ')).toBe('http://10.0.0.2:7717/relay');
  });
});
