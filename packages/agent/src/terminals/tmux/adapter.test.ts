import { spawn, type ChildProcess } from 'node:child_process';
import { sanitizeWakeText, wakeText, type WakeTarget } from '@crosstalk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@crosstalk/core/test-support';
import { promptShown, TmuxLab, type AgentPane } from './__fixtures__/tmux-lab.js';
import type { WakeAdapter } from '../types.js';
import { createWaker } from '../waker.js';

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

const LINE = wakeText({
  kind: 'turn',
  conversation: 'api-shape-x1y2',
  session: 'codex-linux',
  turn: 3,
  maxTurns: 20,
  copyPath: '/home/josé/.crosstalk/conversations/api-shape-x1y2.md',
  attempt: 1,
});

let lab: TmuxLab;
let waker: WakeAdapter;
const clients: ChildProcess[] = [];

beforeEach(async () => {
  lab = await TmuxLab.start();
  waker = createWaker({ platform: process.platform, timeouts: { submitMs: 3_000 } });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.kill('SIGKILL');
  await lab.stop();
});

const targetOf = (agent: AgentPane, extra: Partial<Extract<WakeTarget, { type: 'tmux' }>> = {}): WakeTarget => lab.target(agent, extra);

const pasted = (line: string): string => `${PASTE_START}${line}${PASTE_END}\r`;

async function paneDead(pane: string): Promise<boolean> {
  return (await lab.tmux(['display-message', '-p', '-t', pane, '#{pane_dead}'])).trim() === '1';
}

describe('tmux wake-up', () => {
  it('submits exactly the given line: a bracketed paste, then one Enter', async () => {
    const agent = await lab.agentPane();
    expect(await waker.wake(targetOf(agent), LINE)).toEqual({ status: 'delivered' });
    expect(agent.lines()).toEqual([LINE]);
    expect(agent.bytes().toString('utf8')).toBe(pasted(LINE));
    expect(await waker.probe(targetOf(agent))).toBe('alive');
  });

  it('defers while the pane is in copy mode and delivers once it left', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['copy-mode', '-t', agent.pane]);
    expect(await waker.wake(targetOf(agent), LINE)).toEqual({ status: 'deferred', reason: 'copy-mode' });
    expect(agent.bytes().length).toBe(0);
    await lab.tmux(['send-keys', '-t', agent.pane, '-X', 'cancel']);
    expect(await waker.wake(targetOf(agent), LINE)).toEqual({ status: 'delivered' });
    expect(agent.lines()).toEqual([LINE]);
  });

  it('reports a killed pane and a stopped server as pane-gone', async () => {
    const agent = await lab.agentPane();
    const other = await lab.agentPane();
    await lab.tmux(['kill-pane', '-t', agent.pane]);
    expect(await waker.wake(targetOf(agent), LINE)).toMatchObject({ status: 'failed', reason: 'pane-gone' });
    expect(await waker.probe(targetOf(agent))).toBe('gone');
    await lab.tmux(['kill-server']);
    expect(await waker.wake(targetOf(other), LINE)).toMatchObject({ status: 'failed', reason: 'pane-gone' });
    expect(await waker.probe(targetOf(other))).toBe('gone');
  });

  it('reports a pane kept after its agent exited (remain-on-exit) as pane-dead', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['set-option', '-p', '-t', agent.pane, 'remain-on-exit', 'on']);
    process.kill(agent.agentPid, 'SIGTERM');
    await waitFor('the pane to be dead', () => paneDead(agent.pane), { logs: () => lab.logs() });
    expect(await waker.wake(targetOf(agent), LINE)).toEqual({ status: 'failed', reason: 'pane-dead' });
    expect(await waker.probe(targetOf(agent))).toBe('gone');
  });

  it('never types into a pane that fell back to a bare shell', async () => {
    const agent = await lab.agentUnderShell();
    // While the agent runs under the shell, a target without a recorded agent is fine.
    expect(await waker.wake(targetOf(agent, { agentCommand: undefined }), LINE)).toEqual({ status: 'delivered' });
    process.kill(agent.agentPid, 'SIGTERM');
    const shell = await waitFor(
      'the shell prompt to return',
      async () => {
        const screen = await lab.capture(agent.pane);
        return promptShown(screen) && screen;
      },
      { logs: () => lab.logs() },
    );
    for (const target of [targetOf(agent), targetOf(agent, { agentCommand: undefined })]) {
      expect(await waker.wake(target, 'echo typed-into-the-shell')).toMatchObject({ status: 'failed', reason: 'bare-shell' });
      expect(await waker.probe(target)).toBe('gone');
    }
    expect(await lab.capture(agent.pane)).toBe(shell);
    expect(await lab.tmux(['list-buffers', '-F', '#{buffer_name}'])).toBe('');
  });

  it('does not type when another program than the recorded agent runs', async () => {
    const other = await lab.agentPane(['--title', 'other-agent']);
    expect(await waker.wake(targetOf(other), LINE)).toMatchObject({ status: 'failed', reason: 'bare-shell' });
    expect(other.bytes().length).toBe(0);
  });

  it('treats a pane id whose first process changed as a different pane', async () => {
    const agent = await lab.agentPane();
    expect(await waker.wake(targetOf(agent, { panePid: agent.panePid + 100_000 }), LINE)).toMatchObject({ status: 'failed', reason: 'pane-gone' });
    expect(agent.bytes().length).toBe(0);
  });

  it('puts no control byte but the paste brackets and the final Enter into the pane, whatever the text', async () => {
    const agent = await lab.agentPane();
    const hostile = `!/exit\u001b[2J\u001b]0;pwned\u0007\u001b[201~rm -rf ~\r\n\u0003\u009b31m\u0085\u202eevil\u202c\u200b\u2066x\u2069 é 中 😀 ${'x'.repeat(10 * 1024)}`;
    const line = sanitizeWakeText(hostile);
    expect(await waker.wake(targetOf(agent), line)).toEqual({ status: 'delivered' });
    const bytes = agent.bytes().toString('utf8');
    expect(bytes.startsWith(PASTE_START) && bytes.endsWith(`${PASTE_END}\r`)).toBe(true);
    const inner = bytes.slice(PASTE_START.length, -PASTE_END.length - 1);
    expect(inner).toBe(line);
    expect(inner).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(inner).not.toMatch(/^[!/]/);
    expect(agent.lines()).toEqual([line]);
  });

  it('never touches a pane it was not given', async () => {
    const agent = await lab.agentPane();
    const bystander = await lab.agentPane();
    expect(await waker.wake(targetOf(agent), LINE)).toEqual({ status: 'delivered' });
    expect(agent.lines()).toEqual([LINE]);
    expect(bystander.bytes().length).toBe(0);
  });

  it('runs wake-ups of one pane one at a time', async () => {
    const agent = await lab.agentPane();
    const lines = ['crosstalk: first', 'crosstalk: second', 'crosstalk: third'];
    const outcomes = await Promise.all(lines.map((l) => waker.wake(targetOf(agent), l)));
    expect(outcomes).toEqual(lines.map(() => ({ status: 'delivered' })));
    expect(agent.lines()).toEqual(lines);
    expect(agent.bytes().toString('utf8')).toBe(lines.map(pasted).join(''));
  });

  it('presses Enter at most three times and then reports not-submitted', async () => {
    waker = createWaker({ platform: process.platform, timeouts: { submitMs: 300 } });
    const agent = await lab.agentPane(['--ignore-enter']);
    expect(await waker.wake(targetOf(agent), LINE)).toMatchObject({ status: 'failed', reason: 'not-submitted' });
    expect(agent.bytes().toString('utf8')).toBe(`${PASTE_START}${LINE}${PASTE_END}\r\r\r`);
    expect(await lab.tmux(['list-buffers', '-F', '#{buffer_name}'])).toBe('');
  });

  it('defers while input is disabled or panes are synchronized', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['select-pane', '-d', '-t', agent.pane]);
    expect(await waker.wake(targetOf(agent), LINE)).toMatchObject({ status: 'deferred', reason: 'busy' });
    await lab.tmux(['select-pane', '-e', '-t', agent.pane]);
    await lab.tmux(['set-option', '-w', '-t', agent.pane, 'synchronize-panes', 'on']);
    expect(await waker.wake(targetOf(agent), LINE)).toMatchObject({ status: 'deferred', reason: 'busy' });
    await lab.tmux(['set-option', '-w', '-t', agent.pane, 'synchronize-panes', 'off']);
    expect(agent.bytes().length).toBe(0);
    expect(await waker.wake(targetOf(agent), LINE)).toEqual({ status: 'delivered' });
  });

  it('defers while someone types in the session, then delivers once they stopped', async () => {
    const agent = await lab.agentPane();
    // A real client on a pseudo-terminal, attached to the session; it shows the placeholder window.
    const client = spawn('script', ['-qfec', `tmux -S ${lab.socket} attach -t main`, '/dev/null'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, TMUX: '', TERM: 'xterm' },
    });
    clients.push(client);
    const activity = async () => Number((await lab.tmux(['list-clients', '-F', '#{client_activity}'])).trim().split('\n')[0] || Number.NaN);
    // tmux keeps whole seconds: let the attach fall into the past, so that a key press shows.
    const attached = await waitFor(
      'the client to attach',
      async () => {
        const a = await activity();
        return Number.isFinite(a) && a;
      },
      { logs: () => lab.logs() },
    );
    await waitFor('a second to pass', () => Date.now() / 1000 >= attached + 1, { logs: () => lab.logs() });
    client.stdin!.write('x');
    await waitFor('the key press to register', async () => (await activity()) > attached, { logs: () => lab.logs() });
    const strict = createWaker({ platform: process.platform, timeouts: { userIdleMs: 30_000 } });
    expect(await strict.wake(targetOf(agent), LINE)).toEqual({ status: 'deferred', reason: 'user-typing' });
    expect(agent.bytes().length).toBe(0);
    waker = createWaker({ platform: process.platform, timeouts: { userIdleMs: 1_000 } });
    await waitFor('a wake-up once the typing stopped', async () => (await waker.wake(targetOf(agent), LINE)).status === 'delivered', {
      logs: () => lab.logs(),
    });
    expect(agent.lines()).toEqual([LINE]);
  });

  it('refuses targets that are not a pane id on an absolute socket', async () => {
    const agent = await lab.agentPane();
    for (const bad of [{ pane: 'main:0' }, { pane: '%1;kill-server' }, { socket: 'relative/sock' }, { panePid: -3 }, { agentCommand: 'x'.repeat(300) }]) {
      expect(await waker.wake(targetOf(agent, bad), LINE)).toMatchObject({ status: 'failed', reason: 'wake-error' });
    }
    expect(agent.bytes().length).toBe(0);
  });
});
