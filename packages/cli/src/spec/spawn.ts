// Starting, watching and stopping coding agents on any host, behind that host's own policy
// (docs/SPAWN.md).
import { LIMITS } from '@crosstalk/core';
import { options } from '../options/types.js';
import { line, name, oneOf, sessionNames, text, timeoutMs, wholeNumber } from '../options/values.js';
import { command, type CommandSpec } from './command.js';

const ADMIN = { flags: '--admin', description: 'ask with the relay admin key (on the relay machine)' } as const;

export const SPAWN_OPTIONS = options(
  { flags: '--host <host>', description: 'the host to start it on (required)', required: true, parse: name('host') },
  { flags: '--as <name>', description: 'the new session name (required)', required: true, parse: name('session') },
  {
    flags: '--cwd <dir>',
    description: 'absolute working directory on that host, inside its allowed roots (required)',
    required: true,
    parse: line('cwd', 4096),
  },
  { flags: '--prompt <text>', description: 'its first task, typed once it is ready', parse: text('prompt', LIMITS.bodyBytes) },
  { flags: '--prompt-file <path>', description: 'read the first task from a file' },
  { flags: '--model <model>', description: 'passed to the coding agent as --model', parse: line('model', 200) },
  {
    flags: '--with <sessions>',
    description: 'open a conversation right away: the first of these sessions (of this host) opens it, with the task as its opening turn',
    parse: sessionNames,
  },
  { flags: '--topic <text>', description: 'topic of the conversation --with opens (default: the start of the task)', parse: line('topic', LIMITS.topicChars) },
  { flags: '--timeout <seconds>', description: 'give up waiting for the outcome after this long (exit 124)', default: '180', parse: timeoutMs },
  ADMIN,
);

export const KILL_OPTIONS = options(
  { flags: '--timeout <seconds>', description: 'give up waiting for the outcome after this long (exit 124)', default: '60', parse: timeoutMs },
  ADMIN,
);

export const PEEK_OPTIONS = options(
  {
    flags: '--lines <n>',
    description: "how many of the last lines (default 40; at most 200 from another host's session)",
    default: '40',
    parse: wholeNumber(1, 2000),
  },
  { flags: '--admin', description: 'ask with the relay admin key (on the relay machine), through the relay' },
);

export const SPAWN_KINDS = ['claude-code', 'codex', 'other'] as const;
export const spawnKind = oneOf(SPAWN_KINDS);

export const SPAWN_COMMANDS: CommandSpec[] = [
  command({
    path: ['spawn'],
    args: '<kind>',
    group: 'sessions',
    summary: 'start a coding agent (claude-code, codex) on a host, joined as a session; its host must allow it',
    description:
      "The host's agent starts it in a new detached tmux session on its own private tmux server, with the crosstalk hooks it has installed, joined as --as, and types --prompt once the coding agent reports it is ready. The host's own policy decides (docs/SPAWN.md); a refusal names the rule.",
    options: SPAWN_OPTIONS,
    json: true,
    examples: [
      'crosstalk spawn codex --host linux-box --as codex-helper --cwd /home/me/src/api --prompt "Run the test suite and fix what fails"',
      'crosstalk spawn claude-code --host laptop --as reviewer --cwd /home/me/src/api --with claude-main --prompt "Review the last commit"',
    ],
    load: () => import('../commands/spawn.js'),
  }),
  command({
    path: ['kill'],
    args: '<session>',
    group: 'sessions',
    summary: 'stop a spawned coding agent (gracefully, then forced); the session is left gone, its conversations kept',
    options: KILL_OPTIONS,
    json: true,
    examples: ['crosstalk kill codex-helper'],
    load: () => import('../commands/kill.js'),
  }),
  command({
    path: ['peek'],
    args: '<session>',
    group: 'sessions',
    summary: "the last lines of a session's terminal, control characters removed (another host's through the relay, if its policy allows)",
    options: PEEK_OPTIONS,
    json: true,
    examples: ['crosstalk peek codex-helper', 'crosstalk peek codex-helper --lines 100'],
    load: () => import('../commands/peek.js'),
  }),
];
