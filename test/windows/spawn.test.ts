// `crosstalk spawn`, `peek` and `kill` on a Windows host: the host agent runs as a Windows program
// under Wine, and a Linux host asks it to start the test TUI (kind other). The agent starts it in a
// console window of its own (created suspended, joined by its process id, then let run), its
// SessionStart hook reaches the agent through the named pipe, its task is typed into the console;
// a conversation with it advances; peek reads the console's screen buffer (there, and for the
// admin through the relay); the agent's restart
// leaves it running and finds it again; kill stops every process of the console. Wine runs with its
// null display driver, so the console window exists off any screen.
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, explain, type Host, Lab, repoFile } from '../harness/index.js';
import type { Proc } from '../harness/process.js';
import { skipWindows, WINDOWS_NODE } from './support/prereqs.js';
import { winPath, WinePrefix } from './support/wine.js';

const skip = skipWindows();
const SCRIPTED = repoFile('test/harness/scripted-agent.mjs');

describe.skipIf(skip)('spawning a coding agent on a Windows host', () => {
  let lab: Lab;
  let wine: WinePrefix;
  let penguin: Host;
  let winAgent: Proc;
  /** The Windows home as a Unix path. */
  let home: string;
  let projects: string;
  let spawned: string;
  let id: string;

  const agentStatus = async () =>
    JSON.parse(await readFile(join(home, 'agent-status.json'), 'utf8').catch(() => '{}')) as { connected?: boolean; pid?: number };
  const startAgent = () => {
    winAgent = wine.spawn('agent win-laptop', [WINDOWS_NODE, winPath(CLI_BIN), 'agent', 'run', '--log-level', 'debug']);
  };
  /** The Unix processes of this prefix whose command line holds `text` (Wine shows the Windows one). */
  const prefixProcesses = async (text: string): Promise<string[]> => {
    const ps = await execa('ps', ['-eo', 'pid=,args='], { reject: false, timeout: 10_000 });
    const found: string[] = [];
    for (const line of String(ps.stdout).split('\n')) {
      const pid = Number.parseInt(line, 10);
      if (!line.includes(text) || !Number.isSafeInteger(pid)) continue;
      const env = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
      if (env.split('\0').includes(`WINEPREFIX=${wine.dir}`)) found.push(line.trim());
    }
    return found;
  };
  const stateOf = async (name: string) => {
    const r = await penguin.run(['sessions', '--json']);
    return r.json<{ sessions: Array<{ name: string; state?: string }> }>().sessions.find((s) => s.name === name)?.state;
  };

  beforeAll(async () => {
    lab = await Lab.create('windows-spawn');
    await lab.startRelay();
    penguin = await lab.host('penguin');
    await lab.startAgent(penguin);
    expect((await penguin.run(['join', '--as', 'tux', '--no-wake'])).exitCode).toBe(0);
    wine = await WinePrefix.create(lab, { windows: true });
    home = join(wine.userProfile, '.crosstalk');
    projects = join(lab.dir, 'projects');
    spawned = join(lab.dir, 'spawned');
    await mkdir(join(projects, 'api'), { recursive: true });
    const invite = await lab.run(lab.relay!.home, ['relay', 'invite', '--host', 'win-laptop', '--url', lab.relay!.url, '--json']);
    const joined = await wine.cli(['agent', 'join', lab.relay!.url, '--invite', invite.json<{ invite: string }>().invite, '--host', 'win-laptop', '--json']);
    expect(joined.exitCode, joined.stderr).toBe(0);
    // The Windows host's own policy: penguin may start the test TUI (as `other`) under projects\, one at a time.
    const path = join(home, 'config.json');
    const config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    config.spawn = {
      enabled: true,
      allow: ['penguin'],
      kinds: ['other'],
      roots: [winPath(projects)],
      maxSessions: 1,
      commands: {
        other: [
          winPath(WINDOWS_NODE),
          winPath(SCRIPTED),
          JSON.stringify({ dirBase: winPath(spawned), cli: winPath(CLI_BIN), join: false, hook: true, reply: 'done' }),
        ],
      },
      readyTimeoutSeconds: 150,
    };
    await writeFile(path, JSON.stringify(config, null, 2));
    startAgent();
    await lab.waitFor('the Windows agent to link', async () => (await agentStatus()).connected === true, { timeoutMs: 120_000 });
  }, 240_000);
  afterAll(async () => {
    await wine?.kill();
    await lab?.cleanup();
  });

  let pid: number;

  it('starts the test TUI in a console of its own, joined, in the resolved directory, with its task typed once ready', async () => {
    const r = await penguin.run(
      [
        'spawn',
        'other',
        '--host',
        'win-laptop',
        '--as',
        'winhelper',
        '--cwd',
        winPath(join(projects, 'api')),
        '--prompt',
        'look at the tests',
        '--json',
        '--timeout',
        '200',
      ],
      { timeoutMs: 220_000 },
    );
    expect(r.exitCode, explain(r)).toBe(0);
    const out = r.json<{ session: string; host: string; kind: string; cwd: string; detail: string }>();
    expect(out).toMatchObject({ session: 'winhelper', host: 'win-laptop', kind: 'other' });
    expect(out.cwd.toLowerCase()).toBe(winPath(await realpath(join(projects, 'api'))).toLowerCase());
    expect(out.detail).toMatch(/^ready in \d+ ms; first task typed$/);
    const dir = join(spawned, 'winhelper');
    pid = Number(await readFile(join(dir, 'ready'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    await lab.waitFor('the task typed into the console', async () => (await readFile(join(dir, 'lines.jsonl'), 'utf8')).includes('"look at the tests"'), {
      timeoutMs: 60_000,
    });
    // Joined with its console: the process the agent started is the one the TUI runs as.
    const sessions = await penguin.run(['sessions', '--json']);
    const helper = sessions.json<{ sessions: Array<{ name: string; host: string; wake: { type: string } }> }>().sessions.find((s) => s.name === 'winhelper');
    expect(helper).toMatchObject({ host: 'win-laptop', wake: { type: 'console' } });
    const local = JSON.parse(await readFile(join(home, 'sessions.json'), 'utf8')) as { sessions: Array<{ name: string; wake: unknown }> };
    expect(local.sessions.find((s) => s.name === 'winhelper')?.wake).toEqual({ type: 'console', pid, agentCommand: 'node' });
    await lab.waitFor('winhelper to report a state', async () => ['idle', 'working'].includes((await stateOf('winhelper')) ?? ''), { timeoutMs: 60_000 });
  });

  it('holds a conversation: a turn for it wakes it in its console, and it answers', async () => {
    const open = await penguin.run(['open', '--as', 'tux', '--topic', 'windows work', '--with', 'winhelper', '--body', 'Please report.']);
    expect(open.exitCode, explain(open)).toBe(0);
    id = open.stdout.trim();
    await lab.waitFor('winhelper to answer', async () => (await penguin.run(['read', id, '--as', 'tux'])).stdout.includes('done (turn 2)'), {
      timeoutMs: 120_000,
    });
  });

  it("peek shows its console's screen buffer on its own host and through the relay, control characters removed", async () => {
    const r = await wine.cli(['peek', 'winhelper', '--lines', '20', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { pane: string; lines: string[] };
    expect(out.pane).toBe(`console ${pid}`);
    expect(out.lines.join('\n')).toContain('winhelper ready');
    expect(out.lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // From elsewhere, through the relay: the Windows agent reads its console for the admin.
    const remote = await lab.run(lab.relay!.home, ['peek', 'winhelper', '--admin', '--lines', '20', '--json']);
    expect(remote.exitCode, explain(remote)).toBe(0);
    expect(remote.json()).toMatchObject({ session: 'winhelper', host: 'win-laptop', pane: null });
    expect(remote.json<{ lines: string[] }>().lines.join('\n')).toContain('winhelper ready');
  });

  it("survives its host agent's restart, which finds it again", async () => {
    const before = (await agentStatus()).pid;
    await winAgent.stop();
    startAgent();
    await lab.waitFor(
      'the restarted agent to link',
      async () => {
        const s = await agentStatus();
        return s.connected === true && s.pid !== before;
      },
      { timeoutMs: 120_000 },
    );
    expect(await prefixProcesses(winPath(SCRIPTED))).toHaveLength(1);
    // Found again: it still counts against the limit of one.
    const second = await penguin.run(['spawn', 'other', '--host', 'win-laptop', '--as', 'winhelper-2', '--cwd', winPath(join(projects, 'api'))], {
      timeoutMs: 120_000,
    });
    expect(second.exitCode, explain(second)).toBe(4);
    expect(second.stderr).toContain('rule limit-reached');
  });

  it('kill stops it and leaves nothing of its console running; the session is gone, its conversation kept', async () => {
    expect(await prefixProcesses(winPath(SCRIPTED))).toHaveLength(1);
    const r = await penguin.run(['kill', 'winhelper', '--json', '--timeout', '120'], { timeoutMs: 140_000 });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.json()).toMatchObject({ session: 'winhelper', host: 'win-laptop', state: 'gone' });
    expect(await prefixProcesses(winPath(SCRIPTED))).toEqual([]);
    // The console goes with its last program.
    await lab.waitFor('its console to close', async () => (await prefixProcesses('conhost.exe')).length === 0, { timeoutMs: 30_000 });
    await lab.waitFor('winhelper gone', async () => (await stateOf('winhelper')) === 'gone');
    expect(await readFile(join(penguin.home, 'conversations', `${id}.md`), 'utf8')).toContain('done (turn 2)');
    const audit = (await readFile(join(home, 'conversations', 'spawn-audit.jsonl'), 'utf8')).trim().split('\n');
    expect(audit.map((l) => (JSON.parse(l) as { type: string; outcome?: string }).type)).toEqual([
      'spawn.requested',
      'spawn.resulted',
      'spawn.requested',
      'spawn.resulted',
      'kill.requested',
      'kill.resulted',
    ]);
  });
});
