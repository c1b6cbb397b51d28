import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { waitFor } from '@crosstalk/core/test-support';
import { key, Lab } from '../__fixtures__/lab.js';
import { LinkProxy } from '../__fixtures__/link-proxy.js';
import { homeLayout } from '../home/index.js';
import { readAgentStatus, type AgentStatusSnapshot } from './status.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('agent status', () => {
  it('shows lag while events are held back, and that a killed agent is not running', async () => {
    const lab = await Lab.start();
    cleanups.push(() => lab.cleanup());
    let hold = true;
    const proxy = await LinkProxy.start(lab.url, { fromRelay: (frame) => (hold && frame.startsWith('{"t":"events"') ? 'drop' : 'pass') });
    cleanups.push(() => proxy.stop());
    const home = await lab.home('laggy', { relayUrl: proxy.url });
    await home.client.registerSession({ name: 'p', kind: 'other', wake: { type: 'none' } });
    await home.client.registerSession({ name: 'q', kind: 'other', wake: { type: 'none' } });
    await home.client.openConversation({ as: 'p', topic: 'lag', with: ['q'], body: 'hello', idempotencyKey: key() });
    const head = (await home.client.health()).head;

    const agent = lab.runEntry(home, { tuning: { replayTimeoutMs: 60_000 } });
    const lagging = await waitFor(
      'a status with lag',
      async () => {
        const r = await readAgentStatus(home.layout);
        return r.status?.connected && r.status.head === head && r.status.lag === head && r;
      },
      { logs: () => lab.logs() },
    );
    expect(lagging).toMatchObject({ running: true, status: { pid: agent.pid, cursor: 0, state: 'connected', relayUrl: proxy.url } });

    hold = false;
    // The next event shows the hole; the replay fills it.
    await home.client.postTurn((await home.client.listConversations()).conversations[0]!.id, { as: 'q', expectedTurn: 2, idempotencyKey: key(), body: 'more' });
    await waitFor(
      'the lag to close',
      async () => {
        const r = await readAgentStatus(home.layout);
        return r.status?.cursor === (await home.client.health()).head && r.status.lag === 0;
      },
      { logs: () => lab.logs() },
    );

    await agent.kill();
    const dead = await readAgentStatus(home.layout);
    expect(dead.running).toBe(false);
    expect(dead.status?.state).toBe('connected');
  });

  it('reads nothing from a missing or foreign file, and checks the pid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ct-status-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const layout = homeLayout(dir);
    expect(await readAgentStatus(layout)).toEqual({ running: false, status: null });
    await writeFile(layout.agentStatus, '{"pid": "nope"}');
    expect(await readAgentStatus(layout)).toEqual({ running: false, status: null });

    const exited = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { timeout: 10_000 });
    const snapshot: AgentStatusSnapshot = {
      version: 1,
      pid: Number(exited.stdout),
      state: 'connected',
      startedAt: '2026-11-21T14:00:00.000Z',
      updatedAt: '2026-11-21T14:00:01.000Z',
      host: 'h',
      relayUrl: 'http://127.0.0.1:7717',
      relayId: 'r',
      epoch: 'e',
      connected: true,
      cursor: 3,
      head: 5,
      lag: 2,
      lastError: null,
      sessions: [],
    };
    await writeFile(layout.agentStatus, JSON.stringify(snapshot));
    expect(await readAgentStatus(layout)).toEqual({ running: false, status: snapshot });
    await writeFile(layout.agentStatus, JSON.stringify({ ...snapshot, pid: process.pid }));
    expect((await readAgentStatus(layout)).running).toBe(true);
  });
});
