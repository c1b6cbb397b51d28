// Which session a hook from a Windows console speaks for: the one joined with a console whose
// process the hook descends from; none when it descends from no joined console.
import { describe, expect, it } from 'vitest';
import { SessionBinder } from './binding.js';
import type { HookReport } from './report.js';

const report = (ppid: number, agentSession: string | null = null): HookReport =>
  ({
    agent: 'claude-code',
    event: 'SessionStart',
    signal: null,
    agentSession,
    prompt: null,
    ppid,
    pid: ppid + 1,
    tmuxSocket: null,
    tmuxPane: null,
  }) as unknown as HookReport;

describe('binding a hook from a console', () => {
  const parents = new Map([
    [30, 20],
    [20, 10],
    [31, 21],
  ]);
  const binder = new SessionBinder({
    sessions: () => [
      { name: 'win-a', wake: { type: 'console', pid: 20 } },
      { name: 'win-b', wake: { type: 'console', pid: 99 } },
      { name: 'pane', wake: { type: 'tmux', pane: '%1', socket: '/s' } },
    ],
    ancestry: async (pid) => {
      const chain = [pid];
      for (let p = parents.get(pid); p !== undefined; p = parents.get(p)) chain.push(p);
      return chain;
    },
    now: () => 0,
  });

  it('names the session joined with a console the hook descends from, and binds its id', async () => {
    expect(await binder.resolve(report(30, 'id-1'))).toBe('win-a');
    expect(binder.agentSessionOf('win-a')).toBe('id-1');
  });

  it('names none when the hook descends from no joined console', async () => {
    expect(await binder.resolve(report(31))).toBeNull();
  });
});
