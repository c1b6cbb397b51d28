import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@crosstalk/core/test-support';
import { TmuxLab, TOOL_STUB } from './tmux/__fixtures__/tmux-lab.js';
import type { ProcessEntry } from './processes/names.js';
import { readParentChain } from './processes/read.js';
import { parseTmuxEnv, recordConsoleTarget, recordTmuxTarget, recordWakeTarget } from './record-target.js';
import { createWaker } from './waker.js';

const p = (pid: number, ppid: number, name: string, commandLine?: string): ProcessEntry =>
  commandLine === undefined ? { pid, ppid, name } : { pid, ppid, name, commandLine };

describe('recording a tmux target (pure)', () => {
  const env = { tmux: '/tmp/tmux-1000/default,4242,0', tmuxPane: '%7' };

  it('takes the pane, the socket, the pane pid and the first process that is not a shell or crosstalk', () => {
    const chain = [
      p(500, 499, 'node', 'node /usr/lib/node_modules/crosstalk/dist/bin.js join --as codex-linux'),
      p(499, 498, 'sh', 'sh -c npx crosstalk join'),
      p(498, 497, 'node', 'node /usr/lib/node_modules/npm/bin/npx-cli.js crosstalk join'),
      p(497, 300, 'bash', '/bin/bash -c npx crosstalk join'),
      p(300, 200, 'codex', 'codex --model x'),
      p(200, 100, 'node', 'node /usr/bin/codex'),
      p(100, 4242, 'zsh', '-zsh'),
      p(4242, 1, 'tmux: server', 'tmux'),
      p(1, 0, 'systemd'),
    ];
    expect(recordTmuxTarget(env, chain)).toEqual({ type: 'tmux', pane: '%7', socket: '/tmp/tmux-1000/default', panePid: 100, agentCommand: 'codex' });
  });

  it('records no agent when crosstalk was run from the pane shell itself', () => {
    const chain = [p(500, 100, 'crosstalk', 'node /usr/bin/crosstalk join'), p(100, 4242, 'bash'), p(4242, 1, 'tmux: server')];
    expect(recordTmuxTarget(env, chain)).toEqual({ type: 'tmux', pane: '%7', socket: '/tmp/tmux-1000/default', panePid: 100 });
  });

  it('keeps an agent whose arguments only mention a crosstalk directory', () => {
    const chain = [
      p(500, 400, 'node', 'node /x/crosstalk join'),
      p(400, 300, 'bash'),
      p(300, 100, 'node', 'node /opt/agent/cli.js --add-dir /home/u/crosstalk'),
      p(100, 4242, 'bash'),
    ];
    expect(recordTmuxTarget(env, chain)?.agentCommand).toBe('node');
  });

  it('treats the pane process as the agent when the pane runs it directly', () => {
    const chain = [p(500, 400, 'node', 'node crosstalk.js join'), p(400, 100, 'bash'), p(100, 4242, 'claude')];
    expect(recordTmuxTarget(env, chain)).toMatchObject({ panePid: 100, agentCommand: 'claude' });
  });

  it('leaves out an agent name the relay would refuse', () => {
    const chain = [p(500, 400, 'crosstalk'), p(400, 100, 'my agent: v2'), p(100, 4242, 'bash')];
    expect(recordTmuxTarget(env, chain)).toEqual({ type: 'tmux', pane: '%7', socket: '/tmp/tmux-1000/default', panePid: 100 });
    expect(recordConsoleTarget([p(500, 400, 'crosstalk'), p(400, 300, 'my agent: v2'), p(300, 1, 'windowsterminal')])).toEqual({ type: 'console', pid: 400 });
  });

  it('returns null outside tmux or for malformed variables', () => {
    const chain = [p(500, 1, 'node')];
    expect(recordTmuxTarget({}, chain)).toBeNull();
    expect(recordTmuxTarget({ tmux: env.tmux }, chain)).toBeNull();
    expect(recordTmuxTarget({ tmux: env.tmux, tmuxPane: 'main:0' }, chain)).toBeNull();
    expect(recordTmuxTarget({ tmux: 'relative,1,0', tmuxPane: '%1' }, chain)).toBeNull();
    expect(recordTmuxTarget({ tmux: '/tmp/sock', tmuxPane: '%1' }, chain)).toBeNull();
    expect(recordTmuxTarget({ tmux: `/${'s'.repeat(2000)},1,0`, tmuxPane: '%1' }, chain)).toBeNull();
  });

  it('parses $TMUX whose socket path holds commas', () => {
    expect(parseTmuxEnv('/tmp/a,b,c/sock,77,3')).toEqual({ socket: '/tmp/a,b,c/sock', serverPid: 77 });
    expect(parseTmuxEnv('/tmp/sock,x,3')).toBeNull();
  });
});

describe('recording a Windows console target (pure)', () => {
  it('records the coding agent above the tool shell', () => {
    const chain = [
      p(900, 800, 'node', '"C:\\Program Files\\nodejs\\node.exe" C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\crosstalk\\dist\\bin.js join'),
      p(800, 700, 'cmd', 'C:\\WINDOWS\\system32\\cmd.exe /d /s /c crosstalk join'),
      p(700, 600, 'bash', 'C:\\Program Files\\Git\\bin\\bash.exe -c crosstalk join'),
      p(600, 500, 'claude', 'claude.exe'),
      p(500, 400, 'pwsh', 'pwsh.exe'),
      p(400, 1, 'windowsterminal'),
    ];
    expect(recordConsoleTarget(chain)).toEqual({ type: 'console', pid: 600, agentCommand: 'claude' });
  });

  it('records the shell without an agent when run from a bare shell, and nothing without a shell', () => {
    const chain = [
      p(900, 500, 'node', 'node C:\\npm\\node_modules\\crosstalk\\dist\\bin.js join'),
      p(500, 400, 'powershell'),
      p(400, 300, 'openconsole'),
      p(300, 1, 'windowsterminal'),
    ];
    expect(recordConsoleTarget(chain)).toEqual({ type: 'console', pid: 500 });
    expect(recordConsoleTarget([p(900, 1, 'node'), p(1, 0, 'explorer')])).toBeNull();
  });
});

describe('recording a target from inside a real pane', () => {
  let lab: TmuxLab;
  beforeEach(async () => {
    lab = await TmuxLab.start();
  });
  afterEach(async () => {
    await lab.stop();
  });

  /** Waits for the stub started in a pane and records the target from its pid and inherited variables. */
  async function recordFromStub(out: string) {
    const stub = await waitFor(
      'the tool stub',
      () => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as { pid: number; tmux: string; tmuxPane: string }),
      { logs: () => lab.logs() },
    );
    const chain = await readParentChain(stub.pid, { platform: process.platform, timeoutMs: 10_000 });
    const pure = recordTmuxTarget(stub, chain);
    const viaOs = await recordWakeTarget({ platform: process.platform, pid: stub.pid, tmux: stub.tmux, tmuxPane: stub.tmuxPane });
    expect(viaOs).toEqual(pure);
    process.kill(stub.pid);
    return pure;
  }

  it('finds pane, socket, pane pid and the agent when the agent runs the recorder through a shell', async () => {
    const out = join(lab.dir, 'stub-1.json');
    const agent = await lab.agentPane(['--tool', TOOL_STUB, out]);
    const target = await recordFromStub(out);
    expect(target).toEqual({ type: 'tmux', pane: agent.pane, socket: lab.socket, panePid: agent.panePid, agentCommand: 'fake-agent' });
    // The recorded target wakes that very agent.
    expect(await createWaker({ platform: process.platform }).wake(target!, 'crosstalk: recorded')).toEqual({ status: 'delivered' });
    expect(agent.lines()).toEqual(['crosstalk: recorded']);
  });

  it('finds the agent below the pane shell', async () => {
    const out = join(lab.dir, 'stub-2.json');
    const agent = await lab.agentUnderShell(['--title', 'claude', '--tool', TOOL_STUB, out]);
    expect(agent.panePid).not.toBe(agent.agentPid);
    expect(await recordFromStub(out)).toEqual({ type: 'tmux', pane: agent.pane, socket: lab.socket, panePid: agent.panePid, agentCommand: 'claude' });
  });

  it('records no agent when run from a bare shell, and such a target is never typed into', async () => {
    const out = join(lab.dir, 'stub-3.json');
    const shell = await lab.shellPane();
    await lab.tmux(['send-keys', '-t', shell.pane, '-l', `${process.execPath} ${TOOL_STUB} ${out}`]);
    await lab.tmux(['send-keys', '-t', shell.pane, 'Enter']);
    const target = await recordFromStub(out);
    expect(target).toEqual({ type: 'tmux', pane: shell.pane, socket: lab.socket, panePid: shell.panePid });
    await waitFor('the shell prompt', async () => /[$#]$/.test((await lab.capture(shell.pane)).trimEnd()), { logs: () => lab.logs() });
    const before = await lab.capture(shell.pane);
    expect(await createWaker({ platform: process.platform }).wake(target!, 'echo typed')).toMatchObject({ status: 'failed', reason: 'bare-shell' });
    expect(await lab.capture(shell.pane)).toBe(before);
  });
});
