// A target recorded with its pane's first process is checked and pasted in one tmux call. Real
// tmux on a private server, fake coding agents in the panes, and a tmux binary that notes each
// call, so every case shows how many tmux processes it started and that no buffer stayed behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wakeText, type WakeTarget } from '@crosstalk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@crosstalk/core/test-support';
import { promptShown, recordingTmux, TmuxLab, type AgentPane } from './__fixtures__/tmux-lab.js';
import type { WakeAdapter, WakeOutcome } from '../types.js';
import { createWaker } from '../waker.js';

const LINE = wakeText({
  kind: 'turn',
  conversation: 'one-call-k3j4',
  session: 'codex-linux',
  turn: 4,
  maxTurns: 20,
  copyPath: '/tmp/one-call-k3j4.md',
  attempt: 1,
});

let lab: TmuxLab;
let recorder: ReturnType<typeof recordingTmux>;
let waker: WakeAdapter;
const clients: ChildProcess[] = [];

beforeEach(async () => {
  lab = await TmuxLab.start();
  recorder = recordingTmux(lab.dir);
  waker = createWaker({ platform: process.platform, tmux: recorder.path, timeouts: { submitMs: 3_000 } });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.kill('SIGKILL');
  await lab.stop();
});

const targetOf = (agent: AgentPane, extra: Partial<Extract<WakeTarget, { type: 'tmux' }>> = {}): WakeTarget => lab.target(agent, extra);

const buffers = (): Promise<string> => lab.tmux(['list-buffers', '-F', '#{buffer_name}']);

/** Whether the process runs: it exists and is not a zombie (tmux may reap a pane's process late). */
const running = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1).trim());
  } catch {
    return false;
  }
};

/** Wakes `target`, expecting `outcome` and exactly the tmux calls `calls`, and no buffer left. */
async function wakeExpecting(target: WakeTarget, outcome: Partial<WakeOutcome>, calls: string[], w: WakeAdapter = waker): Promise<void> {
  recorder.clear();
  expect(await w.wake(target, LINE)).toMatchObject(outcome);
  expect(recorder.calls()).toEqual(calls);
  expect(await buffers()).toBe('');
}

describe('one tmux call before the text shows', () => {
  it('pastes with the checks in the same call, then presses Enter with calls of its own', async () => {
    const agent = await lab.agentPane();
    expect(await waker.wake(targetOf(agent), LINE)).toEqual({ status: 'delivered' });
    const calls = recorder.calls();
    expect(calls[0]).toBe('set-buffer');
    // Everything after the paste belongs to the Enter and its check.
    expect(calls.slice(1).every((c) => c === 'capture-pane' || c === 'send-keys')).toBe(true);
    expect(calls).toContain('send-keys');
    expect(agent.lines()).toEqual([LINE]);
    expect(await buffers()).toBe('');
  });

  it('counts a session nobody touched since it was created as quiet', async () => {
    // The session's activity is its creation time, seconds ago at most: not someone typing.
    const agent = await lab.agentPane();
    const patient = createWaker({ platform: process.platform, tmux: recorder.path, timeouts: { userIdleMs: 600_000 } });
    expect(await patient.wake(targetOf(agent), LINE)).toEqual({ status: 'delivered' });
    expect(agent.lines()).toEqual([LINE]);
  });

  it('types a text ending with ; or \\; as it is', async () => {
    const agent = await lab.agentPane();
    const lines = ['crosstalk: ends with a semicolon;', 'crosstalk: ends with an escaped one\\;'];
    for (const line of lines) expect(await waker.wake(targetOf(agent), line)).toEqual({ status: 'delivered' });
    expect(agent.lines()).toEqual(lines);
  });

  it('defers in copy mode, without typing', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['copy-mode', '-t', agent.pane]);
    await wakeExpecting(targetOf(agent), { status: 'deferred', reason: 'copy-mode' }, ['set-buffer']);
    expect(agent.bytes().length).toBe(0);
  });

  it('defers while input is off and while panes are synchronized', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['select-pane', '-d', '-t', agent.pane]);
    await wakeExpecting(targetOf(agent), { status: 'deferred', reason: 'busy', detail: 'input to the pane is disabled' }, ['set-buffer']);
    await lab.tmux(['select-pane', '-e', '-t', agent.pane]);
    await lab.tmux(['set-option', '-w', '-t', agent.pane, 'synchronize-panes', 'on']);
    await wakeExpecting(targetOf(agent), { status: 'deferred', reason: 'busy', detail: 'the pane is synchronized with other panes' }, ['set-buffer']);
    expect(agent.bytes().length).toBe(0);
  });

  it('defers while someone types in the session', async () => {
    const agent = await lab.agentPane();
    const client = spawn('script', ['-qfec', `tmux -S ${lab.socket} attach -t main`, '/dev/null'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, TMUX: '', TERM: 'xterm' },
    });
    clients.push(client);
    const activity = async () =>
      Number((await lab.tmux(['display-message', '-p', '-t', agent.pane, '#{session_attached} #{session_activity}'])).trim().split(' ')[1]);
    const attached = await waitFor('the client to attach', async () => (await lab.tmux(['list-clients', '-F', '#{client_name}'])).trim() !== '' && activity(), {
      logs: () => lab.logs(),
    });
    // tmux keeps whole seconds: let the attach fall into the past, so that a key press shows.
    await waitFor('a second to pass', () => Date.now() / 1000 >= attached + 1, { logs: () => lab.logs() });
    client.stdin!.write('x');
    await waitFor('the key press to register', async () => (await activity()) > attached, { logs: () => lab.logs() });
    const strict = createWaker({ platform: process.platform, tmux: recorder.path, timeouts: { userIdleMs: 30_000 } });
    await wakeExpecting(targetOf(agent), { status: 'deferred', reason: 'user-typing' }, ['set-buffer'], strict);
    expect(agent.bytes().length).toBe(0);
  });

  it('reports a pane id that now belongs to another pane as pane-gone', async () => {
    // Pane ids restart with a new server; the recorded first process is what tells panes apart.
    const agent = await lab.agentPane();
    const other = await lab.agentPane();
    await wakeExpecting(targetOf(agent, { panePid: other.panePid }), { status: 'failed', reason: 'pane-gone' }, ['set-buffer']);
    expect(agent.bytes().length).toBe(0);
    expect(other.bytes().length).toBe(0);
  });

  it('reports a pane id that no longer exists as pane-gone', async () => {
    const agent = await lab.agentPane();
    const other = await lab.agentPane();
    await lab.tmux(['kill-pane', '-t', agent.pane]);
    await wakeExpecting(targetOf(agent, { panePid: other.panePid }), { status: 'failed', reason: 'pane-gone', detail: `no pane ${agent.pane}` }, [
      'set-buffer',
    ]);
    expect(other.bytes().length).toBe(0);
  });

  it('reports a socket without a server as pane-gone', async () => {
    const agent = await lab.agentPane();
    const gone = targetOf(agent, { socket: join(lab.dir, 'no-server') });
    await wakeExpecting(gone, { status: 'failed', reason: 'pane-gone' }, ['set-buffer', 'delete-buffer']);
    expect(agent.bytes().length).toBe(0);
  });
});

describe('when the recorded first process is gone', () => {
  it('asks tmux about the pane and types nothing: killed pane, stopped server', async () => {
    const agent = await lab.agentPane();
    const other = await lab.agentPane();
    await lab.tmux(['kill-pane', '-t', agent.pane]);
    await waitFor('the killed pane to end its process', () => !running(agent.panePid), { logs: () => lab.logs() });
    await wakeExpecting(targetOf(agent), { status: 'failed', reason: 'pane-gone' }, ['display-message']);
    await lab.tmux(['kill-server']);
    await waitFor('the server to end its panes', () => !running(other.panePid), { logs: () => lab.logs() });
    recorder.clear();
    expect(await waker.wake(targetOf(other), LINE)).toMatchObject({ status: 'failed', reason: 'pane-gone' });
    expect(recorder.calls()).toEqual(['display-message']);
  });

  it('reports a pane respawned with a new process as pane-gone', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['respawn-pane', '-k', '-t', agent.pane, 'sleep', '100000']);
    const pid = await waitFor(
      'the pane to run a new process',
      async () => {
        const now = Number((await lab.tmux(['display-message', '-p', '-t', agent.pane, '#{pane_pid}'])).trim());
        return now !== agent.panePid && !running(agent.panePid) && now;
      },
      { logs: () => lab.logs() },
    );
    await wakeExpecting(
      targetOf(agent),
      { status: 'failed', reason: 'pane-gone', detail: `pane ${agent.pane} now runs process ${pid}, not ${agent.panePid}` },
      ['display-message'],
    );
  });

  it('reports a pane kept after its agent exited as pane-dead', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['set-option', '-p', '-t', agent.pane, 'remain-on-exit', 'on']);
    process.kill(agent.agentPid, 'SIGTERM');
    // tmux may mark the pane dead (its terminal closed) before its process has exited.
    await waitFor(
      'the pane to be dead and its process ended',
      async () => !running(agent.panePid) && (await lab.tmux(['display-message', '-p', '-t', agent.pane, '#{pane_dead}'])).trim() === '1',
      { logs: () => lab.logs() },
    );
    await wakeExpecting(targetOf(agent), { status: 'failed', reason: 'pane-dead' }, ['display-message']);
  });
});

describe('without the coding agent in the pane', () => {
  it('makes no tmux call at all for a bare shell', async () => {
    const agent = await lab.agentUnderShell();
    process.kill(agent.agentPid, 'SIGTERM');
    const shell = await waitFor(
      'the shell prompt to return',
      async () => {
        const screen = await lab.capture(agent.pane);
        return promptShown(screen) && screen;
      },
      { logs: () => lab.logs() },
    );
    recorder.clear();
    for (const target of [targetOf(agent), targetOf(agent, { agentCommand: undefined })]) {
      expect(await waker.wake(target, 'echo typed-into-the-shell')).toMatchObject({ status: 'failed', reason: 'bare-shell' });
    }
    expect(recorder.calls()).toEqual([]);
    expect(await lab.capture(agent.pane)).toBe(shell);
  });
});

describe("targets recorded without the pane's first process", () => {
  it('keep a check call of their own before the paste', async () => {
    const agent = await lab.agentPane();
    const { panePid: _, ...older } = targetOf(agent) as Extract<WakeTarget, { type: 'tmux' }>;
    expect(await waker.wake(older, LINE)).toEqual({ status: 'delivered' });
    expect(recorder.calls().slice(0, 2)).toEqual(['display-message', 'load-buffer']);
    expect(agent.lines()).toEqual([LINE]);
    await lab.tmux(['copy-mode', '-t', agent.pane]);
    await wakeExpecting(older, { status: 'deferred', reason: 'copy-mode' }, ['display-message']);
  });
});
