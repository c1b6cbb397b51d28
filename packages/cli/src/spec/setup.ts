// Getting started: zero-config start, demo, doctor, skills.
import { options } from '../options/types.js';
import { port } from '../options/values.js';
import { command, type CommandSpec } from './command.js';
import { WEB_PORT } from './moderation.js';
import { LOG_LEVEL } from './shared.js';

export const UP_OPTIONS = options(
  { flags: '--host <address>', description: 'address the relay listens on (0.0.0.0: every interface, so other machines can join)', default: '127.0.0.1' },
  { flags: '--port <port>', description: 'relay port', default: '7717', parse: port },
  WEB_PORT,
  LOG_LEVEL,
);

export const DEMO_OPTIONS = options({ flags: '--keep', description: 'keep the temp dir with the copies afterwards' });

export const SKILL_OPTIONS = options(
  { flags: '--claude', description: 'for Claude Code: the skill, its permission rules and its hooks' },
  { flags: '--codex', description: 'for Codex: the AGENTS.md section, its rules file, its hooks and their trust entries' },
  { flags: '--global', description: 'for every project of this user (default)' },
  { flags: '--project', description: 'for the project in the current directory' },
  { flags: '--uninstall', description: 'remove exactly what was installed' },
);

export const HOOK_OPTIONS = options({
  flags: '--wait',
  description: 'wait in the background until a turn comes for the idle session, then exit 2 with its line on stderr',
});

export const SETUP_COMMANDS: CommandSpec[] = [
  command({
    path: ['up'],
    group: 'setup',
    summary: 'zero-config start: a local relay plus an agent enrolled to it',
    description:
      "Runs a relay on 127.0.0.1 (or --host) and this machine's agent in one process until Ctrl-C. The first run creates the relay's data in <home>/relay and enrolls this machine; later runs reuse both. Logs go to <home>/logs/up.log. It also serves the web view (`crosstalk web`) and prints its one-time login link. " +
      'With --host 0.0.0.0 other machines can join it: `crosstalk relay invite --host <name>` here prints the command for them (set CROSSTALK_PUBLIC_URL, or pass --url to invite, when they reach this machine by another name).',
    options: UP_OPTIONS,
    examples: ['crosstalk up', 'crosstalk up --host 0.0.0.0'],
    load: () => import('../commands/up.js'),
  }),
  command({
    path: ['demo'],
    group: 'setup',
    summary: 'two sessions on two simulated hosts hold a real conversation in tmux',
    description:
      'Starts a private relay, two agents posing as hosts demo-linux and demo-mac, and two scripted sessions in a private tmux server; they converse through the real wake-ups until a decision is agreed and closed. Needs tmux. Everything is removed afterwards unless --keep.',
    options: DEMO_OPTIONS,
    json: true,
    examples: ['crosstalk demo', 'crosstalk demo --keep'],
    load: () => import('../commands/demo.js'),
  }),
  command({
    path: ['doctor'],
    group: 'setup',
    summary: 'check the relay, clock, keys, agent, tmux panes and copies; explain fixes',
    description: 'Each check prints ok, warn, fail or skip, with what to do. Exit 1 if any check fails.',
    json: true,
    examples: ['crosstalk doctor', 'crosstalk doctor --json'],
    load: () => import('../commands/doctor.js'),
  }),
  command({
    path: ['skill', 'install'],
    group: 'setup',
    summary: 'teach Claude Code and Codex how to use crosstalk',
    description:
      "Writes the instructions (a Claude Code skill, a section in Codex's AGENTS.md) and the permissions that let the " +
      'conversation commands run unattended: Claude Code allow rules for `crosstalk reply|read|status|wait|open|ask|list|sessions|whoami|moderate|close *` ' +
      "and for reading this host's copies; a Codex rules file that lets the same commands out of its sandbox to reach the relay. " +
      'Nothing else is allowed: never spawn, kill, join, relay or agent commands, never a global bypass. ' +
      "Then the hooks that tell this host's agent what each session is doing: `crosstalk hook claude-code` on Claude Code's events (in the same settings.json), " +
      "`crosstalk hook codex` on Codex's (hooks.json), with the trust entries Codex asks for in the user's config.toml. --uninstall removes exactly what it added.",
    options: SKILL_OPTIONS,
    json: true,
    examples: ['crosstalk skill install --claude --codex --project'],
    load: () => import('../commands/skill.js'),
  }),
  command({
    path: ['hook'],
    group: 'setup',
    args: '<agent> [event] [payload]',
    summary: "what Claude Code's and Codex's hooks run: tells this host's agent what the session is doing",
    description:
      'Installed by `crosstalk skill install` as a hook of every event that says whether a session works, waits for a dialog or is idle ' +
      '(<agent> is claude-code or codex). It reads the hook payload from stdin (or [payload], as Codex passes its notify program), tells the ' +
      'local agent through its endpoint, and for a Stop hook prints the pending turn as `{"decision":"block","reason":…}` so the ' +
      'session goes on with it. It loads no key or schema library and never fails the coding agent: without an agent it prints nothing and exits 0.',
    options: HOOK_OPTIONS,
    examples: ['crosstalk hook claude-code', 'crosstalk hook codex'],
    load: () => import('../commands/hook.js'),
  }),
];
