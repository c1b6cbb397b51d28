// The checks behind `crosstalk doctor`. Each says ok, warn or fail, what it saw, and what to do.
import { randomBytes } from 'node:crypto';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createRelayClient,
  createWaker,
  keyFileProblems,
  readAgentConfig,
  readAgentStatus,
  readHostKey,
  readLocalSessions,
  unreachableHint,
  type AgentConfig,
  type HomeLayout,
  type Health,
} from '@crosstalk/agent';
import { CrosstalkError, LIMITS, PROTOCOL_VERSION } from '@crosstalk/core';
import { tokenSigner } from '@crosstalk/core/token';
import { PATH_HINT } from './on-path.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do; present for warn and fail. */
  hint?: string;
}

export interface DoctorInputs {
  layout: HomeLayout;
  platform: NodeJS.Platform;
  /** Runs `tmux -V`; resolves with its version, or null when tmux is not installed. */
  tmuxVersion(): Promise<string | null>;
  /** Where `crosstalk` is found on PATH, or null. */
  crosstalkOnPath?: () => Promise<string | null>;
  /** What `crosstalk skill install` has put in place, given the kinds of the sessions joined here. */
  skills?: (kindsHere: ReadonlySet<string>) => Promise<Check[]>;
  now?: () => number;
}

const ok = (name: string, message: string): Check => ({ name, status: 'ok', message });
const warn = (name: string, message: string, hint: string): Check => ({ name, status: 'warn', message, hint });
const fail = (name: string, message: string, hint: string): Check => ({ name, status: 'fail', message, hint });
const skip = (name: string, message: string): Check => ({ name, status: 'skip', message });

const describe = (err: unknown) => (err instanceof CrosstalkError ? { message: `${err.message} [${err.code}]`, hint: err.hint } : { message: String(err), hint: 'see the message' });

/** Clock skew beyond this draws a warning; beyond the token tolerance requests fail. */
const SKEW_WARN_MS = 5_000;

export async function runChecks(inputs: DoctorInputs): Promise<Check[]> {
  const { layout } = inputs;
  const now = inputs.now ?? Date.now;
  const checks: Check[] = [];

  let config: AgentConfig | null = null;
  try {
    config = await readAgentConfig(layout.config);
    checks.push(ok('enrollment', `${layout.home} is enrolled as host ${config.host} with the relay at ${config.relayUrl}`));
  } catch (err) {
    const d = describe(err);
    checks.push(fail('enrollment', d.message, d.hint));
  }

  // --- the relay ---------------------------------------------------------------------------------
  let health: Health | null = null;
  if (config) {
    const client = createRelayClient({ relayUrl: config.relayUrl, timeoutMs: 5_000 });
    const sent = now();
    try {
      health = await client.health();
      const rtt = now() - sent;
      if (health.protocol !== PROTOCOL_VERSION) {
        checks.push(fail('relay', `the relay at ${config.relayUrl} speaks protocol ${health.protocol}; this program speaks ${PROTOCOL_VERSION}`, 'upgrade the older side so both run the same crosstalk version'));
      } else if (health.relayId !== config.relayId) {
        checks.push(fail('relay', `the relay at ${config.relayUrl} is another relay (id ${health.relayId}, enrolled with ${config.relayId})`, 'point this home at its relay again, or enroll it with this one (`crosstalk agent join`)'));
      } else {
        checks.push(ok('relay', `reachable at ${config.relayUrl}: protocol ${health.protocol}, relay version ${health.version}, ${rtt} ms`));
      }
      const relayTime = Date.parse(health.time);
      const skew = Math.round(sent + rtt / 2 - relayTime);
      const shown = `${(Math.abs(skew) / 1000).toFixed(1)} s ${skew >= 0 ? 'ahead of' : 'behind'} the relay`;
      if (!Number.isFinite(relayTime)) checks.push(warn('clock', 'the relay sent no usable time', 'check the relay version'));
      else if (Math.abs(skew) > LIMITS.clockToleranceSeconds * 1000) checks.push(fail('clock', `this clock is ${shown}; requests are refused beyond ${LIMITS.clockToleranceSeconds} s`, 'turn on time synchronisation (NTP) on this machine and on the relay\'s'));
      else if (Math.abs(skew) > SKEW_WARN_MS) checks.push(warn('clock', `this clock is ${shown}`, 'turn on time synchronisation (NTP); beyond 30 s requests are refused'));
      else checks.push(ok('clock', `within ${Math.max(1, Math.ceil(Math.abs(skew) / 1000))} s of the relay's`));
    } catch (err) {
      const d = describe(err);
      // This is the whole-setup check already: say what to do, not to run it.
      const hint = err instanceof CrosstalkError && err.code === 'RELAY_UNREACHABLE' ? unreachableHint(config.relayUrl, { suggestDoctor: false }) : d.hint;
      checks.push(fail('relay', d.message, hint));
      checks.push(skip('clock', 'needs the relay'));
    }
  } else {
    checks.push(skip('relay', 'needs an enrollment'), skip('clock', 'needs an enrollment'));
  }

  // --- keys ----------------------------------------------------------------------------------
  const keyFiles = [layout.hostKey, join(layout.relayDataDir, 'admin-key.json')];
  const problems: string[] = [];
  let seen = 0;
  for (const file of keyFiles) {
    const exists = await stat(file).then(() => true, () => false);
    if (!exists) continue;
    seen++;
    problems.push(...(await keyFileProblems(file, inputs.platform)));
  }
  if (problems.length > 0) checks.push(fail('keys', problems.join('; '), 'make the key files readable only by you (the message says how)'));
  else if (seen > 0) checks.push(ok('keys', inputs.platform === 'win32' ? 'key files present (permissions are not checked on Windows)' : 'key files are readable only by you'));
  else checks.push(skip('keys', 'no key files in this home'));

  // --- authentication ------------------------------------------------------------------------
  if (config && health && health.relayId === config.relayId) {
    try {
      const signer = await tokenSigner(await readHostKey(layout.hostKey), config.host, config.relayId);
      const client = createRelayClient({ relayUrl: config.relayUrl, signer, timeoutMs: 5_000 });
      const { sessions } = await client.listSessions();
      const mine = sessions.filter((s) => s.host === config.host).length;
      checks.push(ok('auth', `the relay accepts this host's key (host ${config.host}, ${mine} session${mine === 1 ? '' : 's'} registered)`));
    } catch (err) {
      const d = describe(err);
      checks.push(fail('auth', d.message, d.hint));
    }
  } else {
    checks.push(skip('auth', 'needs a reachable relay'));
  }

  // --- the agent -----------------------------------------------------------------------------
  if (config) {
    const report = await readAgentStatus(layout);
    const s = report.status;
    if (!report.running || !s) {
      checks.push(fail('agent', 'the host agent is not running: no copies are written and no session is woken', 'start it with `crosstalk agent run` (or `crosstalk up`, or `crosstalk agent install` to run it at every login)'));
    } else if (!s.connected) {
      const why = s.lastError ? `: ${s.lastError.message} [${s.lastError.code}]` : '';
      checks.push(fail('agent', `the agent (pid ${s.pid}) runs but is not connected to the relay${why}`, 'check the relay check above, and the agent\'s log'));
    } else if (s.lag !== null && s.lag > 1000) {
      checks.push(warn('agent', `the agent (pid ${s.pid}) is connected but ${s.lag} events behind`, 'it is catching up; if the lag stays, check the agent\'s log'));
    } else {
      checks.push(ok('agent', `running (pid ${s.pid}), connected, cursor ${s.cursor}, lag ${s.lag ?? 0}`));
    }
  } else {
    checks.push(skip('agent', 'needs an enrollment'));
  }

  // --- the command coding agents are told to run ------------------------------------------------
  if (inputs.crosstalkOnPath) {
    const found = await inputs.crosstalkOnPath();
    if (found) checks.push(ok('command', `crosstalk is on PATH (${found})`));
    else checks.push(warn('command', 'crosstalk is not on PATH: a woken session is told to run `crosstalk reply`, and its shell will not find it', PATH_HINT));
  }

  // --- terminals -----------------------------------------------------------------------------
  const sessions = await readLocalSessions(layout.sessions);
  const inTmux = sessions.filter((s) => s.wake.type === 'tmux');
  const version = await inputs.tmuxVersion();
  if (version) checks.push(ok('tmux', version));
  else if (inTmux.length > 0) checks.push(fail('tmux', 'tmux is not installed, but sessions here are woken in tmux', 'install tmux (apt install tmux, brew install tmux)'));
  else if (inputs.platform === 'win32') checks.push(skip('tmux', 'not used on Windows (sessions are woken in their console)'));
  else checks.push(warn('tmux', 'tmux is not installed: sessions can only poll', 'install tmux (apt install tmux, brew install tmux) and run coding agents in it'));

  if (sessions.length === 0) {
    checks.push(skip('sessions', 'no session joined on this host (`crosstalk join --as <name>` in a coding agent\'s tmux pane)'));
  } else {
    const waker = createWaker({ platform: inputs.platform });
    for (const s of sessions) {
      const name = `session ${s.name}`;
      if (s.wake.type === 'none') {
        checks.push(ok(name, 'joined without a terminal; it polls with `crosstalk wait`'));
        continue;
      }
      const where = s.wake.type === 'tmux' ? `tmux pane ${s.wake.pane} on ${s.wake.socket}` : `the console of process ${s.wake.pid}`;
      const agent = s.wake.agentCommand ? ` running ${s.wake.agentCommand}` : '';
      const alive = await waker.probe(s.wake);
      if (alive === 'alive') checks.push(ok(name, `${where} is alive${agent}`));
      else checks.push(fail(name, `${where} is gone or no longer runs its coding agent`, `run \`crosstalk join --as ${s.name}\` in the coding agent's new pane, or \`crosstalk leave --as ${s.name}\``));
    }
  }

  if (inputs.skills) checks.push(...(await inputs.skills(new Set(sessions.map((s) => s.kind)))));

  // --- copies --------------------------------------------------------------------------------
  if (config) {
    const dir = config.conversationsDir;
    const probe = join(dir, `.crosstalk-doctor-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(probe, 'ok');
      await unlink(probe);
      checks.push(ok('copies', `${dir} is writable`));
    } catch (err) {
      checks.push(fail('copies', `cannot write in ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'fix the directory\'s permissions, or choose another with `crosstalk agent join --conversations-dir`'));
    }
  } else {
    checks.push(skip('copies', 'needs an enrollment'));
  }
  return checks;
}
