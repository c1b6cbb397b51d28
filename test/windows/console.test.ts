// A session in a Windows console, woken by the host agent running as a Windows program. A fake
// coding agent (the Windows node under Wine, in a tmux pane) draws a prompt box like Claude
// Code's and runs `crosstalk join` from its own console, as a coding agent's shell tool would
// (`cmd /c crosstalk join …` through the `crosstalk.cmd` a global install puts on PATH). The
// agent's console helper reads that console's screen, types the fixed line and Enter: one line,
// exactly the template, nothing into a permission dialog or after a draft, no control character
// from hostile topics, and a `failed` receipt once the console is gone.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wakeText } from '@crosstalk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, Lab, PrivateTmux, CLI_BIN, type Host } from '../harness/index.js';
import { skipWindows, WINDOWS_NODE } from './support/prereqs.js';
import { winPath, WinePrefix } from './support/wine.js';

const skip = skipWindows();
const CONSOLE_AGENT = new URL('./fixtures/console-agent.mjs', import.meta.url).pathname;

interface AgentEvent {
  at: number;
  received?: string;
  submitted?: string;
  joined?: number;
  pid?: number;
  stderr?: string;
  stdout?: string;
  seq?: number;
  hook?: string;
  exit?: number;
}

describe.skipIf(skip)('waking a session in a Windows console', () => {
  let lab: Lab;
  let wine: WinePrefix;
  let penguin: Host;
  let tmux: PrivateTmux;
  let pane: string;
  let records: string;
  let consolePid: number;
  let screenSeq = 0;
  const maxTurns = 6;

  const events = async (): Promise<AgentEvent[]> =>
    (await readFile(join(records, 'events.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as AgentEvent);
  const submitted = async () => (await events()).filter((e) => e.submitted !== undefined);
  const show = async (screen: { show: 'prompt' | 'dialog'; draft?: string; hooks?: boolean; stop?: boolean }) => {
    const seq = ++screenSeq;
    await writeFile(join(records, 'screen.json'), JSON.stringify({ ...screen, seq }));
    await lab.waitFor(`the fake agent to draw ${JSON.stringify(screen)}`, async () => (await events()).some((e) => e.seq === seq));
  };
  const copyPath = (id: string) => `${winHome}\\conversations\\${id}.md`;
  let winHome: string;

  const open = async (topic: string): Promise<string> => {
    const r = await penguin.run(['open', '--as', 'tux', '--topic', topic, '--with', 'winnie', '--max-turns', String(maxTurns), '--body', 'Your turn.']);
    expect(r.exitCode, explain(r)).toBe(0);
    return r.stdout.trim();
  };
  const receipts = async (id: string) => (await (await lab.relay!.adminClient()).listReceipts(id)).receipts;
  const receipt = (id: string, status: string) =>
    lab.waitFor(`a ${status} receipt for ${id}`, async () => (await receipts(id)).find((r) => r.status === status));
  const stateOf = async (session: string) => (await (await lab.relay!.adminClient()).listSessions()).sessions.find((s) => s.name === session)?.state;
  const expectedLine = (id: string) => wakeText({ kind: 'turn', conversation: id, session: 'winnie', turn: 2, maxTurns, copyPath: copyPath(id), attempt: 1 });

  beforeAll(async () => {
    lab = await Lab.create('windows-console');
    await lab.startRelay();
    penguin = await lab.host('penguin');
    await lab.startAgent(penguin);
    expect((await penguin.run(['join', '--as', 'tux', '--no-wake'])).exitCode).toBe(0);
    wine = await WinePrefix.create(lab);
    const invite = await lab.run(lab.relay!.home, ['relay', 'invite', '--host', 'win-laptop', '--url', lab.relay!.url, '--json']);
    const joined = await wine.cli(['agent', 'join', lab.relay!.url, '--invite', invite.json<{ invite: string }>().invite, '--host', 'win-laptop', '--json']);
    expect(joined.exitCode, joined.stderr).toBe(0);
    winHome = (JSON.parse(joined.stdout) as { home: string }).home;
    wine.spawn('agent win-laptop', [WINDOWS_NODE, winPath(CLI_BIN), 'agent', 'run', '--log-level', 'debug']);
    await lab.waitFor('the Windows agent to link', async () => {
      const status = await readFile(join(wine.userProfile, '.crosstalk', 'agent-status.json'), 'utf8').catch(() => '{}');
      return (JSON.parse(status) as { connected?: boolean }).connected === true;
    });
    records = join(lab.dir, 'console-agent');
    await mkdir(records);
    tmux = lab.attachTmux(new PrivateTmux(join(lab.dir, 'tmux-win.sock'), lab.env(), { width: 120, height: 40 }));
    const wineVars = Object.fromEntries(Object.entries(wine.env()).filter((e): e is [string, string] => e[0] !== 'PATH' && e[1] !== undefined));
    ({ pane } = await tmux.window([wine.wine, WINDOWS_NODE, winPath(CONSOLE_AGENT), winPath(records), 'winnie'], wineVars));
    lab.attachFile('console agent events', join(records, 'events.jsonl'));
  }, 240_000);
  afterAll(async () => {
    await wine?.kill();
    await lab?.cleanup();
  });

  it('records the console of the coding agent that ran `crosstalk join` from its shell tool', async () => {
    const joined = await lab.waitFor('the fake agent to have joined', async () => (await events()).find((e) => e.joined !== undefined), { timeoutMs: 120_000 });
    expect(joined.joined, joined.stderr).toBe(0);
    consolePid = joined.pid!;
    // The relay lists the session and its kind of terminal; the console itself is on record at home.
    const sessions = (await (await lab.relay!.adminClient()).listSessions()).sessions;
    expect(sessions.find((s) => s.name === 'winnie')).toMatchObject({ host: 'win-laptop', kind: 'claude-code', wake: { type: 'console' } });
    const local = JSON.parse(await readFile(join(wine.userProfile, '.crosstalk', 'sessions.json'), 'utf8')) as {
      sessions: Array<{ name: string; wake: unknown }>;
    };
    expect(local.sessions.find((s) => s.name === 'winnie')?.wake).toEqual({ type: 'console', pid: consolePid, agentCommand: 'node' });
  });

  it('types exactly the wake-up line and Enter into the console: one submitted line, the template', async () => {
    const id = await open('windows wake');
    await lab.waitFor('the line to be submitted', async () => (await submitted()).length > 0);
    expect((await receipt(id, 'delivered')).reason).toBeUndefined();
    const lines = await submitted();
    expect(lines.map((e) => e.submitted)).toEqual([expectedLine(id)]);
    expect(lines[0]!.submitted).toContain(`whole conversation: C:\\users\\`);
  });

  it('types nothing into a permission dialog or after a draft, and goes through once they are gone', async () => {
    const before = (await events()).length;
    await show({ show: 'dialog' });
    const id = await open('windows dialog');
    expect((await receipt(id, 'deferred')).reason).toMatch(/^waiting-input/);
    await show({ show: 'prompt', draft: 'half a thought' });
    await lab.waitFor('a draft deferral', async () => (await receipts(id)).some((r) => r.status === 'deferred' && r.reason === 'draft'), { timeoutMs: 90_000 });
    expect((await events()).slice(before).filter((e) => e.received !== undefined)).toEqual([]);
    await show({ show: 'prompt', draft: '' });
    await receipt(id, 'delivered');
    expect((await submitted()).at(-1)?.submitted).toBe(expectedLine(id));
  });

  it('lets no control character of a hostile topic reach the console; the wake-up latency, median of 10', async () => {
    const from = (await events()).length;
    const topics = [
      '!rm -rf ~',
      '/clear the screen',
      '@everyone look',
      '#include <x>',
      '$(whoami) `id`',
      'café 中文 😀 – “quotes”',
      'CON NUL aux.txt',
      'a; b && c | d',
      '%PATH% ^& echo',
      'last one',
    ];
    const latencies: number[] = [];
    for (const topic of topics) {
      const id = await open(topic);
      const turn = (await (await lab.relay!.adminClient()).getConversation(id)).conversation.turns[0]!;
      const line = await lab.waitFor(`the wake-up for ${JSON.stringify(topic)}`, async () => (await submitted()).find((e) => e.submitted === expectedLine(id)));
      latencies.push(line.at - Date.parse(turn.at));
    }
    const received = (await events())
      .slice(from)
      .map((e) => e.received ?? '')
      .join('');
    // Only printable characters and the Enter after each line.
    expect(received.replace(/\r/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
    expect(received.split('\r').filter((l) => l !== '')).toHaveLength(topics.length);
    for (const line of received.split('\r').filter((l) => l !== '')) expect(line).toMatch(/^crosstalk: your turn in /);
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = (sorted[4]! + sorted[5]!) / 2;
    process.stdout.write(
      `windows-console: wakes=${latencies.length} latency_ms median=${median} min=${sorted[0]} max=${sorted.at(-1)} (turn committed → Enter read by the console program)\n`,
    );
  });

  it('hears `crosstalk hook claude-code` run from the console over the named pipe: working on the typed line, idle on Stop', async () => {
    await show({ show: 'prompt', draft: '', hooks: true });
    const id = await open('windows hooks');
    await receipt(id, 'delivered');
    // The prompt hook carries the typed wake-up line: that binds the coding agent's session to winnie.
    const prompted = await lab.waitFor('the prompt hook to have run', async () => (await events()).find((e) => e.hook === 'UserPromptSubmit'));
    expect(prompted.exit, prompted.stderr).toBe(0);
    await lab.waitFor('winnie to be working', async () => (await stateOf('winnie')) === 'working');
    await show({ show: 'prompt', draft: '', hooks: true, stop: true });
    const stopped = await lab.waitFor('the Stop hook to have run', async () => (await events()).find((e) => e.hook === 'Stop'));
    expect(stopped.exit, stopped.stderr).toBe(0);
    await lab.waitFor('winnie to be idle', async () => (await stateOf('winnie')) === 'idle');
    // What the Windows side lists, too.
    const listed = await wine.cli(['sessions', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const listing = JSON.parse(listed.stdout) as { sessions: Array<{ name: string; state?: string }> };
    expect(listing.sessions.find((s) => s.name === 'winnie')?.state).toBe('idle');
  });

  it('reports failed / process-gone once the console is gone', async () => {
    await tmux.run(['kill-pane', '-t', pane]);
    await lab.waitFor('the console program to end', async () => {
      const r = await wine.run('tasklist', ['tasklist.exe'], { timeoutMs: 30_000 });
      return !r.stdout.split('\n').some((l) => new RegExp(`\\b${consolePid}\\b`).test(l) && /node/i.test(l));
    });
    const id = await open('windows gone');
    expect((await receipt(id, 'failed')).reason).toMatch(/^process-gone/);
  });
});
