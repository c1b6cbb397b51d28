// `crosstalk spawn`, `peek` and `kill` end to end, two hosts: alpha asks beta, whose policy allows
// alpha to start the test TUI (kind other) under one root. Beta's agent starts it on its private
// tmux server, joins it, waits for its SessionStart hook, types the task; a conversation with it
// advances; peek shows its screen (there, and through the relay as its policy allows); the
// agent's restart leaves it running and finds it again; kill leaves nothing running. Every policy rule refuses with its name, and every request and outcome
// is in the log and in the audit log of the copies' directory on both hosts.
import { execFile } from 'node:child_process';
import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProc, CLI_BIN, explain, type Host, Lab, NODE, processAlive as alive, repoFile } from '../harness/index.js';
import { documentedFields, keys } from './fields.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let betaAgent: AgentProc;
let projects: string;
const SCRIPTED = repoFile('test/harness/scripted-agent.mjs');

const spawnSocket = (host: Host) => join(host.home, 'spawn', 'tmux.sock');

/** `tmux -S <socket> …` on a host's spawn server: its stdout, or null when the server is not running. */
function spawnTmux(host: Host, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('tmux', ['-S', spawnSocket(host), ...args], { timeout: 10_000, env: { ...process.env, TMUX: undefined } }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

async function stateOf(name: string): Promise<string | undefined> {
  const r = await alpha.run(['sessions', '--json']);
  return r.json<{ sessions: Array<{ name: string; state?: string }> }>().sessions.find((s) => s.name === name)?.state;
}

beforeAll(async () => {
  lab = await Lab.create('spawn');
  await lab.startRelay();
  alpha = await lab.host('alpha');
  beta = await lab.host('beta');
  projects = join(lab.dir, 'projects');
  await mkdir(join(projects, 'api'), { recursive: true });
  await mkdir(join(lab.dir, 'outside'), { recursive: true });
  await symlink(join(lab.dir, 'outside'), join(projects, 'escape'));
  // Beta's own policy: alpha may start the test TUI (as `other`) or Claude Code under projects/, one at a time.
  const path = join(beta.home, 'config.json');
  const config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  config.spawn = {
    enabled: true,
    allow: ['alpha'],
    kinds: ['other', 'claude-code'],
    roots: [projects],
    maxSessions: 1,
    commands: { other: [NODE, SCRIPTED, JSON.stringify({ dirBase: join(lab.dir, 'spawned'), cli: CLI_BIN, join: false, hook: true, reply: 'done' })] },
    readyTimeoutSeconds: 30,
  };
  await writeFile(path, JSON.stringify(config, null, 2));
  await lab.startAgent(alpha);
  betaAgent = AgentProc.start(lab.procs, beta, { viaCli: true, logLevel: 'debug', env: lab.env(beta.home) });
  await betaAgent.connected({ logs: () => lab.logs() });
  const joined = await alpha.run(['join', '--as', 'a1', '--no-wake']);
  expect(joined.exitCode, explain(joined)).toBe(0);
});

afterAll(async () => {
  for (const host of [alpha, beta]) if (host) await spawnTmux(host, ['kill-server']);
  await lab?.cleanup();
});

describe('crosstalk spawn, peek and kill', () => {
  let pid: number;
  let id: string;

  it('starts the coding agent on the other host, joined, in the resolved directory, with its task typed once ready', async () => {
    const r = await alpha.run(
      ['spawn', 'other', '--host', 'beta', '--as', 'helper', '--cwd', join(projects, 'api'), '--prompt', 'look at the tests', '--json'],
      {
        timeoutMs: 120_000,
      },
    );
    expect(r.exitCode, explain(r)).toBe(0);
    const out = r.json<{ session: string; host: string; kind: string; state: string; cwd: string; detail: string }>();
    expect(out).toMatchObject({ session: 'helper', host: 'beta', kind: 'other', cwd: await realpath(join(projects, 'api')) });
    expect(out.detail).toMatch(/^ready in \d+ ms; first task typed$/);
    expect(keys(out)).toEqual(documentedFields('spawn'));
    const dir = join(lab.dir, 'spawned', 'helper');
    pid = Number(await readFile(join(dir, 'ready'), 'utf8'));
    expect(await readFile(join(dir, 'cwd'), 'utf8')).toBe(await realpath(join(projects, 'api')));
    await lab.waitFor('the task typed into the session', async () => (await readFile(join(dir, 'lines.jsonl'), 'utf8')).includes('"look at the tests"'));
    // Joined on beta, in a pane of beta's private tmux server; its hooks report its state to every host.
    const sessions = await alpha.run(['sessions', '--json']);
    const helper = sessions.json<{ sessions: Array<{ name: string; host: string; wake: { type: string } }> }>().sessions.find((s) => s.name === 'helper');
    expect(helper).toMatchObject({ host: 'beta', wake: { type: 'tmux' } });
    await lab.waitFor('helper to report a state', async () => ['idle', 'working'].includes((await stateOf('helper')) ?? ''));
    expect(await spawnTmux(beta, ['list-sessions', '-F', '#{session_name}'])).toBe('helper\n');
  });

  it('holds a conversation: a turn for it wakes it, and it answers', async () => {
    const open = await alpha.run(['open', '--as', 'a1', '--topic', 'spawned work', '--with', 'helper', '--body', 'Please report.']);
    expect(open.exitCode, explain(open)).toBe(0);
    id = open.stdout.trim();
    await lab.waitFor('helper to answer', async () => (await alpha.run(['read', id, '--as', 'a1'])).stdout.includes('done (turn 2)'));
  });

  it('peek shows its screen on its own host', async () => {
    const r = await beta.run(['peek', 'helper', '--lines', '20', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(keys(r.json())).toEqual(documentedFields('peek'));
    const lines = r.json<{ lines: string[] }>().lines;
    expect(lines.join('\n')).toContain('helper ready');
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const human = await beta.run(['peek', 'helper']);
    expect(human.stdout).toContain('helper ready');
  });

  it("peek from another host goes through the relay to the session's host agent, as its policy allows", async () => {
    // Beta's policy says nothing of peeks: the admin may, alpha may not; the refusal names the rule.
    const refused = await alpha.run(['peek', 'helper', '--json']);
    expect(refused.exitCode, explain(refused)).toBe(4);
    expect(refused.json<{ error: { code: string; details: { rule: string } } }>().error).toMatchObject({
      code: 'SPAWN_REFUSED',
      details: { rule: 'peek-not-allowed' },
    });
    const admin = await lab.run(lab.relay!.home, ['peek', 'helper', '--admin', '--lines', '20', '--json']);
    expect(admin.exitCode, explain(admin)).toBe(0);
    expect(keys(admin.json())).toEqual(documentedFields('peek'));
    expect(admin.json()).toMatchObject({ session: 'helper', host: 'beta', pane: null });
    expect(admin.json<{ lines: string[] }>().lines.join('\n')).toContain('helper ready');
    // Bounded: at most 200 lines come through the relay, whatever is asked.
    const many = await lab.run(lab.relay!.home, ['peek', 'helper', '--admin', '--lines', '2000', '--json']);
    expect(many.exitCode, explain(many)).toBe(0);
    expect(many.json<{ lines: string[] }>().lines.length).toBeLessThanOrEqual(200);
    // A session nobody joined, and a host whose agent is not linked, are named as such.
    expect((await alpha.run(['peek', 'nobody'])).stderr).toContain('no session named nobody');
    const gamma = await lab.host('gamma');
    expect((await gamma.run(['join', '--as', 'g1', '--no-wake'])).exitCode).toBe(0);
    const offline = await lab.run(lab.relay!.home, ['peek', 'g1', '--admin', '--json']);
    expect(offline.exitCode, explain(offline)).toBe(5);
    expect(offline.json<{ error: { code: string } }>().error.code).toBe('PEEK_UNAVAILABLE');
  });

  it("survives its host agent's restart, which finds it again", async () => {
    await betaAgent.restart();
    await betaAgent.connected({ logs: () => lab.logs() });
    expect(alive(pid)).toBe(true);
    expect(await spawnTmux(beta, ['list-sessions', '-F', '#{session_name}'])).toBe('helper\n');
    // Found again: it still counts against the limit of one.
    const second = await alpha.run(['spawn', 'other', '--host', 'beta', '--as', 'helper-2', '--cwd', join(projects, 'api')]);
    expect(second.exitCode, explain(second)).toBe(4);
    expect(second.stderr).toContain('rule limit-reached');
  });

  it('kill stops it and leaves nothing running: no process, no tmux server; the session is gone, its conversation kept', async () => {
    const r = await alpha.run(['kill', 'helper', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.json()).toMatchObject({ session: 'helper', host: 'beta', state: 'gone' });
    expect(keys(r.json())).toEqual(documentedFields('kill'));
    expect(alive(pid)).toBe(false);
    expect(await spawnTmux(beta, ['list-sessions'])).toBeNull();
    await lab.waitFor('helper gone', async () => (await stateOf('helper')) === 'gone');
    const copy = await readFile(join(alpha.home, 'conversations', `${id}.md`), 'utf8');
    expect(copy).toContain('done (turn 2)');
    // Killing it again: it is no longer a spawned session of beta.
    const again = await alpha.run(['kill', 'helper']);
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toContain('rule not-spawned');
  });

  it('refuses by each rule of the policy, naming it', async () => {
    const refused = async (who: Host, host: string, kind: string, cwd: string, rule: string) => {
      const r = await who.run(['spawn', kind, '--host', host, '--as', `x-${rule}`, '--cwd', cwd, '--json']);
      expect(r.exitCode, `${rule}\n${explain(r)}`).toBe(4);
      expect(r.stderr).toContain(`rule ${rule}`);
      expect(r.json<{ error: { code: string; details: { rule: string } } }>().error).toMatchObject({ code: 'SPAWN_REFUSED', details: { rule } });
    };
    await refused(beta, 'alpha', 'other', projects, 'off');
    await refused(beta, 'beta', 'other', projects, 'host-not-allowed');
    await refused(alpha, 'beta', 'codex', projects, 'kind-not-allowed');
    await refused(alpha, 'beta', 'other', lab.dir, 'cwd-outside-roots');
    await refused(alpha, 'beta', 'other', `${projects}bc`, 'cwd-missing');
    await refused(alpha, 'beta', 'other', `${projects}/api/../../outside`, 'cwd-dot-dot');
    await refused(alpha, 'beta', 'other', join(projects, 'escape'), 'cwd-symlink-escape');
    // limit-reached is refused above, while one ran.
    expect(await spawnTmux(beta, ['list-sessions'])).toBeNull();
  });

  it('records every request and outcome: in the log, in `sessions --spawned`, and in the audit log of the copies on every host', async () => {
    const r = await alpha.run(['sessions', '--spawned', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const { requests, spawned } = r.json<{
      requests: Array<{ action: string; session: string; host: string; by: string; outcome: string; reason: string }>;
      spawned: unknown[];
    }>();
    expect(spawned).toEqual([]);
    expect(keys(r.json())).toEqual(documentedFields('sessions'));
    const summary = requests.map((q) => `${q.action} ${q.session}@${q.host} by ${q.by}: ${q.outcome}${q.reason ? ` ${q.reason}` : ''}`);
    expect(summary).toEqual([
      'spawn helper@beta by alpha: started',
      'spawn helper-2@beta by alpha: refused limit-reached',
      'kill helper@beta by alpha: killed',
      'kill helper@beta by alpha: refused not-spawned',
      'spawn x-off@alpha by beta: refused off',
      'spawn x-host-not-allowed@beta by beta: refused host-not-allowed',
      'spawn x-kind-not-allowed@beta by alpha: refused kind-not-allowed',
      'spawn x-cwd-outside-roots@beta by alpha: refused cwd-outside-roots',
      'spawn x-cwd-missing@beta by alpha: refused cwd-missing',
      'spawn x-cwd-dot-dot@beta by alpha: refused cwd-dot-dot',
      'spawn x-cwd-symlink-escape@beta by alpha: refused cwd-symlink-escape',
    ]);
    const human = await alpha.run(['sessions', '--spawned']);
    expect(human.stdout).toMatch(/spawn\s+helper\s+beta\s+alpha\s+started/);
    for (const host of [alpha, beta]) {
      const lines = (await readFile(join(host.home, 'conversations', 'spawn-audit.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as { type: string }).type).slice(0, 2)).toEqual(['spawn.requested', 'spawn.resulted']);
      expect(lines).toHaveLength(22);
    }
  });
});

describe('crosstalk spawn --with', () => {
  it('opens a conversation with the new session at once, its task as the opening turn, and the session answers it', async () => {
    const r = await alpha.run(
      ['spawn', 'other', '--host', 'beta', '--as', 'helper-3', '--cwd', join(projects, 'api'), '--with', 'a1', '--prompt', 'Check the build.', '--json'],
      { timeoutMs: 120_000 },
    );
    expect(r.exitCode, explain(r)).toBe(0);
    const { conversation } = r.json<{ conversation: string }>();
    expect(conversation).toMatch(/^task-for-helper-3/);
    await lab.waitFor('helper-3 to answer', async () => (await alpha.run(['read', conversation, '--as', 'a1'])).stdout.includes('done (turn 2)'));
    // The task went in the conversation, not typed as well.
    const lines = await readFile(join(lab.dir, 'spawned', 'helper-3', 'lines.jsonl'), 'utf8');
    expect(lines).not.toContain('Check the build.');
    const killed = await alpha.run(['kill', 'helper-3']);
    expect(killed.exitCode, explain(killed)).toBe(0);
    expect(await spawnTmux(beta, ['list-sessions'])).toBeNull();
  });

  it('never takes over a session joined by hand, and spawns again under the name of one that ended', async () => {
    const joined = await beta.run(['join', '--as', 'b-hand', '--no-wake']);
    expect(joined.exitCode, explain(joined)).toBe(0);
    const r = await alpha.run(['spawn', 'other', '--host', 'beta', '--as', 'b-hand', '--cwd', join(projects, 'api')]);
    expect(r.exitCode, explain(r)).toBe(1);
    expect(r.stderr).toContain('could not spawn: name-taken');
    const again = await alpha.run(['spawn', 'other', '--host', 'beta', '--as', 'helper-3', '--cwd', join(projects, 'api')], { timeoutMs: 120_000 });
    expect(again.exitCode, explain(again)).toBe(0);
    expect((await alpha.run(['kill', 'helper-3'])).exitCode).toBe(0);
  });
});
