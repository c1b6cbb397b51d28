// How an agent process ends: SIGTERM (clean, cursor flushed), revoked by the admin (4001), or
// replaced by another agent of the same host (4002). The last two stop it for good.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { Lab, type Home } from '../__fixtures__/lab.js';
import { homeLayout, readHostKey } from '../home/index.js';
import { readAgentStatus } from './status.js';

let lab: Lab;
beforeEach(async () => {
  lab = await Lab.start();
});
afterEach(async () => {
  await lab.cleanup();
});

const connected = (home: Home) =>
  waitFor(`${home.name} connected`, async () => (await readAgentStatus(home.layout)).status?.connected === true, { logs: () => lab.logs() });

describe('agent lifecycle', () => {
  it('stops for good when its host is revoked, and says so', async () => {
    const home = await lab.home('doomed');
    const agent = lab.runMain(home);
    await connected(home);
    await lab.admin.revokeHost('doomed');
    const exit = await agent.exited;
    expect(exit.exitCode).toBe(EXIT.auth);
    expect(agent.logs()).toMatch(/the relay revoked this host/);
    const status = await readAgentStatus(home.layout);
    expect(status).toMatchObject({ running: false, status: { state: 'stopped', connected: false, lastError: { code: 'HOST_REVOKED' } } });
  });

  it('stops when another agent of the same host takes over the link', async () => {
    const home = await lab.home('twice');
    const first = lab.runMain(home);
    await connected(home);
    // A second machine holding the same key and host name.
    const copyDir = await mkdtemp(join(tmpdir(), 'ct-home-twin-'));
    try {
      // The running agent's endpoint socket is its own; the twin listens on one of its own.
      await cp(home.layout.home, copyDir, { recursive: true, filter: (src) => !src.endsWith('agent.sock') });
      const twin: Home = { ...home, name: 'twin', layout: homeLayout(copyDir) };
      const second = lab.runMain(twin);
      const exit = await first.exited;
      expect(exit.exitCode).toBe(EXIT.conflict);
      expect(first.logs()).toMatch(/another agent for this host connected to the relay and replaced this one/);
      expect((await readAgentStatus(home.layout)).status?.lastError).toMatchObject({
        code: 'AGENT_REPLACED',
        message: expect.stringMatching(/replaced this one/),
      });
      await connected(twin);
      await second.stop();
    } finally {
      await rm(copyDir, { recursive: true, force: true });
    }
  });

  it('flushes its cursor and says it stopped on SIGTERM', async () => {
    const home = await lab.home('calm');
    const agent = lab.runMain(home);
    await connected(home);
    await agent.stop();
    expect((await agent.exited).exitCode).toBe(0);
    const status = await readAgentStatus(home.layout);
    expect(status).toMatchObject({ running: false, status: { state: 'stopped', lastError: null } });
    expect(status.status?.cursor).toBe((await home.client.health()).head);
    expect(agent.logs()).toMatch(/agent stopped/);
  });

  it('logs neither its key nor a token, even at debug level', async () => {
    const home = await lab.home('quiet');
    const agent = lab.runMain(home);
    await connected(home);
    await home.client.listSessions();
    await agent.stop();
    const key = await readHostKey(home.layout.hostKey);
    const logs = agent.logs();
    expect(logs).toMatch(/"level":20/);
    expect(logs).not.toContain(key.d);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });
});
