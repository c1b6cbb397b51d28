// doctor's checks of this host: key files, the agent, the `crosstalk` command, tmux, the joined
// sessions' terminals, and the folder the copies go to.
import { randomBytes } from 'node:crypto';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AgentStatusSnapshot,
  createWaker,
  keyFileProblems,
  readAgentStatus,
  type AgentConfig,
  type HomeLayout,
  type LocalSession,
} from '@crosstalk/agent';
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
  if (s.disk?.paused) {
    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
    return fail(
      'agent',
      `DISK BUDGET REACHED: the copies and state take ${mib(s.disk.usedBytes)} of the ${mib(s.disk.budgetBytes)} budget, so new conversations (from ${s.disk.paused.conversation} on) are not written`,
      `raise diskBudgetMiB in ${layout.config} and restart the agent: it catches up from its cursor, nothing is lost; or find the host flooding the relay (\`crosstalk list\`)`,
    );
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

type SessionStatus = AgentStatusSnapshot['sessions'][number];

const ago = (iso: string, now: number): string => {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
};

/** What the running agent knows of a session from its hooks, in words; null when it knows nothing. */
export function activityWords(status: SessionStatus | undefined, now: number): string | null {
  if (!status?.state) return null;
  if (!status.lastSignal) return 'no hook has spoken since the agent started (state unknown)';
  const since = status.stateSince ? ` for ${ago(status.stateSince, now)}` : '';
  return `${status.state}${since}, last hook ${status.lastSignal.event} ${ago(status.lastSignal.at, now)} ago`;
}

/** Why a session's wake-ups need a person: owed while idle past the grace, or a failed last attempt. */
export function stalled(status: SessionStatus | undefined, graceMs: number, now: number): { problem: string; hint: string } | null {
  if (!status) return null;
  const idleFor = status.state === 'idle' && status.stateSince ? now - Date.parse(status.stateSince) : 0;
  if ((status.pending ?? 0) > 0 && idleFor > graceMs)
    return {
      problem: `${status.pending} wake-up(s) owed to it while it has been idle for ${ago(status.stateSince as string, now)} (more than the ${Math.round(graceMs / 1000)} s grace)`,
      hint: `look at its pane, \`crosstalk status\` for the receipts, and the agent's log`,
    };
  const r = status.lastReceipt;
  // An agent that lists the failed wake-ups still owed says so itself (owedFailures); a failed last
  // receipt whose turn was answered since needs nothing.
  if (status.failed !== undefined && r?.status === 'failed' && !/^(unanswered|gave-up)/.test(r.reason ?? '')) return null;
  if (r?.status === 'failed' && /^(unanswered|gave-up)/.test(r.reason ?? ''))
    return {
      problem: `it did not take turn ${r.turn} of ${r.conversation} (${r.reason})`,
      hint: `look at its pane; the moderator was told and may hand the floor on (\`crosstalk moderate ${r.conversation} --next …\`)`,
    };
  if (r?.status === 'failed')
    return {
      problem: `its last wake-up failed (${r.conversation} turn ${r.turn}: ${r.reason ?? 'no reason'})`,
      hint: `start its coding agent in the pane and run \`crosstalk join --as ${status.name}\` there: failed wake-ups are tried again`,
    };
  return null;
}

/** Failed wake-ups whose turn the session still owes: a conversation waits on a person. */
export function owedFailures(status: SessionStatus | undefined): { problem: string; hint: string } | null {
  const owed = status?.failed ?? [];
  if (owed.length === 0) return null;
  const r = status?.lastReceipt;
  const why = r?.status === 'failed' && r.reason ? ` (last: ${r.reason})` : '';
  const first = owed[0] as { conversation: string; turn: number };
  const list = owed
    .slice(0, 3)
    .map((o) => `${o.conversation} turn ${o.turn}`)
    .join(', ');
  const more = owed.length > 3 ? ` and ${owed.length - 3} more` : '';
  const name = status?.name ?? '<name>';
  return {
    problem: `${owed.length === 1 ? 'a wake-up' : `${owed.length} wake-ups`} failed${why} and the turn is still unanswered: ${list}${more}`,
    hint: `start its coding agent in its pane and run \`crosstalk join --as ${name}\` there: failed wake-ups are tried again at once; or answer it yourself (\`crosstalk read ${first.conversation} --new --as ${name}\`), or hand the turn on (\`crosstalk moderate ${first.conversation} --next …\`)`,
  };
}

/**
 * Each joined session's terminal (still there, still running its coding agent) and, from the
 * running agent's status file, what its hooks say it is doing and whether its wake-ups stall.
 */
export async function sessionChecks(
  sessions: readonly LocalSession[],
  platform: NodeJS.Platform,
  layout?: HomeLayout,
  graceMs = 20_000,
  now = Date.now(),
): Promise<Check[]> {
  if (sessions.length === 0) return [skip('sessions', "no session joined on this host (`crosstalk join --as <name>` in a coding agent's tmux pane)")];
  const waker = createWaker({ platform });
  const report = layout ? await readAgentStatus(layout) : null;
  const statuses = new Map((report?.running ? (report.status?.sessions ?? []) : []).map((s) => [s.name, s]));
  const checks: Check[] = [];
  for (const s of sessions) {
    const name = `session ${s.name}`;
    const status = statuses.get(s.name);
    const activity = activityWords(status, now);
    const also = activity ? `; ${activity}` : '';
    if (s.wake.type === 'none') {
      checks.push(ok(name, `joined without a terminal; it polls with \`crosstalk wait\`${also}`));
      continue;
    }
    const where = s.wake.type === 'tmux' ? `tmux pane ${s.wake.pane} on ${s.wake.socket}` : `the console of process ${s.wake.pid}`;
    const agent = s.wake.agentCommand ? ` running ${s.wake.agentCommand}` : '';
    const owed = owedFailures(status);
    if ((await waker.probe(s.wake)) !== 'alive') {
      checks.push(
        fail(
          name,
          `${where} is gone or no longer runs its coding agent${owed ? `; ${owed.problem}` : ''}`,
          `run \`crosstalk join --as ${s.name}\` where its coding agent runs now${owed ? ' (failed wake-ups are then tried again)' : ''}, or \`crosstalk leave --as ${s.name}\``,
        ),
      );
      continue;
    }
    if (owed) {
      checks.push(fail(name, `${where} is alive${agent}${also}; ${owed.problem}`, owed.hint));
      continue;
    }
    const stall = stalled(status, graceMs, now);
    if (stall) checks.push(warn(name, `${where} is alive${agent}${also}; ${stall.problem}`, stall.hint));
    else checks.push(ok(name, `${where} is alive${agent}${also}`));
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
