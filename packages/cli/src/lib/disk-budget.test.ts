// The agent's disk budget, as people see it: `agent status` and `doctor` say in capitals when the
// budget holds the agent back, what it takes, and what to do.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { homeLayout } from '@crosstalk/agent';
import { afterEach, describe, expect, it } from 'vitest';
import { diskWords } from '../commands/agent-status.js';
import { agentCheck } from './doctor-host.js';

const dirs: string[] = [];
afterEach(() => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

const disk = (paused: boolean) => ({
  usedBytes: 1030 * 1024 * 1024,
  budgetBytes: 1024 * 1024 * 1024,
  paused: paused ? { seq: 4242, conversation: 'flood-0201' } : null,
});

async function statusFile(paused: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'ct-disk-'));
  dirs.push(dir);
  const layout = homeLayout(dir);
  const now = new Date().toISOString();
  await mkdir(dirname(layout.agentStatus), { recursive: true });
  await writeFile(
    layout.agentStatus,
    JSON.stringify({
      version: 1,
      pid: process.pid,
      state: 'connected',
      startedAt: now,
      updatedAt: now,
      host: 'victim',
      relayUrl: 'http://127.0.0.1:7717',
      relayId: 'r',
      epoch: 'e',
      connected: true,
      cursor: 4241,
      head: 9000,
      lag: 4759,
      lastError: null,
      disk: disk(paused),
      sessions: [],
    }),
  );
  return layout;
}

describe('disk budget in agent status and doctor', () => {
  it('agent status: one line, in capitals with what to do when it holds the agent back', () => {
    expect(diskWords(disk(false), '/h/config.json')).toBe('disk: copies and state take 1030.0 MiB of the 1024.0 MiB budget');
    expect(diskWords(disk(true), '/h/config.json')).toBe(
      'DISK BUDGET REACHED: copies and state take 1030.0 MiB of the 1024.0 MiB budget; new conversations are not written, from flood-0201 (event 4242) on. ' +
        'Nothing is lost: raise diskBudgetMiB in /h/config.json and restart the agent, and it catches up',
    );
  });

  it('doctor fails the agent check while the budget holds it back', async () => {
    const layout = await statusFile(true);
    const check = await agentCheck(layout, {} as never);
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/^DISK BUDGET REACHED: the copies and state take 1030\.0 MiB of the 1024\.0 MiB budget/);
    expect(check.hint).toContain('raise diskBudgetMiB');
    const fine = await agentCheck(await statusFile(false), {} as never);
    expect(fine.status).not.toBe('fail');
  });
});
