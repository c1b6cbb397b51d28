// doctor's checks of this host: key files, the agent, the `crosstalk` command, tmux, the joined
// sessions' terminals, and the folder the copies go to.
import { randomBytes } from 'node:crypto';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWaker, keyFileProblems, readAgentStatus, type AgentConfig, type HomeLayout, type LocalSession } from '@crosstalk/agent';
import { fail, ok, skip, warn, type Check } from './doctor-check.js';
import { PATH_HINT } from './on-path.js';
import { isMissing, isSystemError } from './system-error.js';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (err: unknown) => (isMissing(err) ? false : Promise.reject(err)),
  );
}

/** The host key and, on the relay's machine, the admin key: readable by this user only. */
export async function keysCheck(layout: HomeLayout, platform: NodeJS.Platform): Promise<Check> {
  const problems: string[] = [];
  let seen = 0;
  for (const file of [layout.hostKey, join(layout.relayDataDir, 'admin-key.json')]) {
    if (!(await exists(file))) continue;
    seen++;
    problems.push(...(await keyFileProblems(file, platform)));
  }
  if (problems.length > 0) return fail('keys', problems.join('; '), 'make the key files readable only by you (the message says how)');
  if (seen > 0) return ok('keys', platform === 'win32' ? 'key files present (permissions are not checked on Windows)' : 'key files are readable only by you');
  return skip('keys', 'no key files in this home');
}

export async function agentCheck(layout: HomeLayout, config: AgentConfig | null): Promise<Check> {
  if (!config) return skip('agent', 'needs an enrollment');
  const report = await readAgentStatus(layout);
  const s = report.status;
  if (!report.running || !s) {
    return fail(
      'agent',
      'the host agent is not running: no copies are written and no session is woken',
      'start it with `crosstalk agent run` (or `crosstalk up`, or `crosstalk agent install` to run it at every login)',
    );
  }
  if (!s.connected) {
    const why = s.lastError ? `: ${s.lastError.message} [${s.lastError.code}]` : '';
    return fail('agent', `the agent (pid ${s.pid}) runs but is not connected to the relay${why}`, "check the relay check above, and the agent's log");
  }
  if (s.lag !== null && s.lag > 1000)
    return warn('agent', `the agent (pid ${s.pid}) is connected but ${s.lag} events behind`, "it is catching up; if the lag stays, check the agent's log");
  return ok('agent', `running (pid ${s.pid}), connected, cursor ${s.cursor}, lag ${s.lag ?? 0}`);
}

/** The command coding agents are told to run must be found by their shells. */
export async function commandCheck(crosstalkOnPath: () => Promise<string | null>): Promise<Check> {
  const found = await crosstalkOnPath();
  if (found) return ok('command', `crosstalk is on PATH (${found})`);
  return warn('command', 'crosstalk is not on PATH: a woken session is told to run `crosstalk reply`, and its shell will not find it', PATH_HINT);
}

export function tmuxCheck(version: string | null, sessions: readonly LocalSession[], platform: NodeJS.Platform): Check {
  if (version) return ok('tmux', version);
  if (sessions.some((s) => s.wake.type === 'tmux'))
    return fail('tmux', 'tmux is not installed, but sessions here are woken in tmux', 'install tmux (apt install tmux, brew install tmux)');
  if (platform === 'win32') return skip('tmux', 'not used on Windows (sessions are woken in their console)');
  return warn('tmux', 'tmux is not installed: sessions can only poll', 'install tmux (apt install tmux, brew install tmux) and run coding agents in it');
}

/** Each joined session's terminal: still there, still running its coding agent. */
export async function sessionChecks(sessions: readonly LocalSession[], platform: NodeJS.Platform): Promise<Check[]> {
  if (sessions.length === 0) return [skip('sessions', "no session joined on this host (`crosstalk join --as <name>` in a coding agent's tmux pane)")];
  const waker = createWaker({ platform });
  const checks: Check[] = [];
  for (const s of sessions) {
    const name = `session ${s.name}`;
    if (s.wake.type === 'none') {
      checks.push(ok(name, 'joined without a terminal; it polls with `crosstalk wait`'));
      continue;
    }
    const where = s.wake.type === 'tmux' ? `tmux pane ${s.wake.pane} on ${s.wake.socket}` : `the console of process ${s.wake.pid}`;
    const agent = s.wake.agentCommand ? ` running ${s.wake.agentCommand}` : '';
    if ((await waker.probe(s.wake)) === 'alive') checks.push(ok(name, `${where} is alive${agent}`));
    else
      checks.push(
        fail(
          name,
          `${where} is gone or no longer runs its coding agent`,
          `run \`crosstalk join --as ${s.name}\` in the coding agent's new pane, or \`crosstalk leave --as ${s.name}\``,
        ),
      );
  }
  return checks;
}

/** The copies folder takes a file (written and removed again). */
export async function copiesCheck(config: AgentConfig | null): Promise<Check> {
  if (!config) return skip('copies', 'needs an enrollment');
  const dir = config.conversationsDir;
  const probe = join(dir, `.crosstalk-doctor-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'ok');
    await unlink(probe);
    return ok('copies', `${dir} is writable`);
  } catch (err) {
    if (!isSystemError(err)) throw err;
    return fail(
      'copies',
      `cannot write in ${dir}: ${err.code}`,
      "fix the directory's permissions, or choose another with `crosstalk agent join --conversations-dir`",
    );
  }
}
