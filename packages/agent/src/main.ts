#!/usr/bin/env node
// A thin entry for running the host agent before (and beside) the CLI:
//   node packages/agent/dist/main.js enroll <relay-url> --invite <code> [--host <name>]
//   node packages/agent/dist/main.js run [--log-level <level>]
//   node packages/agent/dist/main.js join --as <name> [--kind claude-code|codex|other] [--no-wake]
//   node packages/agent/dist/main.js leave --as <name>
//   node packages/agent/dist/main.js status
// The only place here that reads the environment (CROSSTALK_HOME, TMUX, TMUX_PANE) and argv.
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { CrosstalkError, EXIT, isLogLevel, isSessionKind, LOG_LEVELS, SESSION_KINDS, type WakeTarget } from '@crosstalk/core';
import { enroll } from './enroll/enroll.js';
import { homeLayout, resolveHome } from './home/index.js';
import { runAgent } from './run/agent.js';
import { readAgentStatus } from './run/status.js';
import { joinSession, leaveSession } from './sessions/join.js';
import { recordWakeTarget } from './terminals/index.js';

const USAGE =
  'usage: main.js enroll <relay-url> --invite <code> [--host <name>] | run [--log-level <level>] | join --as <name> [--kind <kind>] [--no-wake] | leave --as <name> | status';

const layout = homeLayout(resolveHome({ crosstalkHome: process.env.CROSSTALK_HOME, userHome: homedir() }));

function out(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      invite: { type: 'string' },
      host: { type: 'string' },
      as: { type: 'string' },
      kind: { type: 'string', default: 'other' },
      'no-wake': { type: 'boolean', default: false },
      'log-level': { type: 'string' },
    },
  });
  switch (command) {
    case 'enroll': {
      const relayUrl = positionals[0];
      if (!relayUrl || !values.invite) throw new CrosstalkError('INVALID_REQUEST', USAGE);
      const result = await enroll({ relayUrl, invite: values.invite, host: values.host, layout });
      out({ host: result.config.host, relayId: result.relayId, relayUrl: result.config.relayUrl, conversationsDir: result.config.conversationsDir });
      return EXIT.ok;
    }
    case 'run':
      return run(values['log-level']);
    case 'join':
      return join(values.as, values.kind, values['no-wake']);
    case 'leave': {
      if (!values.as) throw new CrosstalkError('NO_SESSION');
      out(await leaveSession({ layout, name: values.as }));
      return EXIT.ok;
    }
    case 'status': {
      const report = await readAgentStatus(layout);
      out(report);
      return report.running ? EXIT.ok : EXIT.unreachable;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return EXIT.usage;
  }
}

async function join(name: string | undefined, kindName: string, noWake: boolean): Promise<number> {
  if (!name) throw new CrosstalkError('NO_SESSION');
  const kind = kindName;
  if (!isSessionKind(kind)) throw new CrosstalkError('INVALID_REQUEST', `--kind must be one of ${SESSION_KINDS.join(', ')}`);
  const wake: WakeTarget = noWake
    ? { type: 'none' }
    : await recordWakeTarget({ platform: process.platform, pid: process.pid, tmux: process.env.TMUX, tmuxPane: process.env.TMUX_PANE });
  const { session, local } = await joinSession({ layout, name, kind, wake });
  out({ session, wake: local.wake });
  return EXIT.ok;
}

async function run(level: string | undefined): Promise<number> {
  if (level !== undefined && !isLogLevel(level)) throw new CrosstalkError('INVALID_REQUEST', `--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const agent = await runAgent({ layout, logLevel: level });
  const onSignal = () => void agent.stop();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const result = await agent.stopped;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  if (result.reason === 'fatal') {
    process.stderr.write(`crosstalk agent: ${result.error.message}\nhint: ${result.error.hint}\n`);
    return result.error.exitCode;
  }
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err instanceof CrosstalkError ? err : new CrosstalkError('INTERNAL', String(err));
    process.stderr.write(`crosstalk agent: ${e.message}\nhint: ${e.hint}\n`);
    process.exitCode = e.exitCode;
  },
);
