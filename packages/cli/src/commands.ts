// Every crosstalk command, declared as data: the program, `--help`, the README reference and
// docs/CLI.md are all built from this table, so they cannot drift apart. Handlers are loaded
// only when their command runs, which keeps `crosstalk --help` fast.
import type { CommandHandler } from './handler.js';

export interface OptionSpec {
  /** Commander flags, e.g. `--as <session>` or `-f, --follow`. */
  flags: string;
  description: string;
  default?: string | boolean;
}

export interface CommandSpec {
  /** Words after `crosstalk`, e.g. ['relay', 'invite']. */
  path: string[];
  /** Positional arguments in commander syntax, e.g. `<id>` or `[task...]`. */
  args?: string;
  summary: string;
  /** Longer help; shown by `--help`. */
  description?: string;
  options?: OptionSpec[];
  /** Prints data, so it takes `--json`. */
  json?: boolean;
  examples?: string[];
  /** Audience, for grouping the reference. */
  group: 'sessions' | 'moderation' | 'admin' | 'setup';
  load: () => Promise<{ default: CommandHandler }>;
}

const AS: OptionSpec = { flags: '--as <session>', description: 'act as this session (default: the session joined in this tmux pane)' };
const BODY: OptionSpec[] = [
  { flags: '--body <text>', description: 'the text (default: read from stdin)' },
  { flags: '--body-file <path>', description: 'read the text from a file' },
];

export const COMMANDS: CommandSpec[] = [
  // --- for coding agents ----------------------------------------------------------------------
  {
    path: ['open'],
    group: 'sessions',
    summary: 'open a conversation and post its opening turn; prints the id',
    options: [
      { flags: '--topic <text>', description: 'what the conversation is about (required)' },
      { flags: '--with <sessions>', description: 'comma-separated sessions to talk with (required)' },
      { flags: '--max-turns <n>', description: 'turn limit (default 20)' },
      { flags: '--moderator <session>', description: 'who moderates (default: you)' },
      { flags: '--next <sessions>', description: 'who speaks next (default: the next participant)' },
      ...BODY,
      AS,
    ],
    json: true,
    examples: [
      'echo "Which response shape for /users?" | crosstalk open --topic "users API shape" --with codex-linux',
      'crosstalk open --topic "release plan" --with a,b --max-turns 10 --body-file plan.md',
    ],
    load: () => import('./commands/open.js'),
  },
  {
    path: ['reply'],
    args: '<id>',
    group: 'sessions',
    summary: 'post your turn in a conversation',
    options: [
      ...BODY,
      { flags: '--next <sessions>', description: 'comma-separated sessions to speak next (default: rotation)' },
      { flags: '--propose [decision]', description: 'propose a decision (default: the body is the decision)' },
      { flags: '--agree', description: 'agree with the current proposal' },
      { flags: '--expect-turn <n>', description: 'fail with a conflict unless this is turn n (default: the next turn as of now)' },
      AS,
    ],
    json: true,
    examples: ['echo "2.1.2 + CUDA 12.4" | crosstalk reply pytorch-version-7f3a --as codex-linux', 'crosstalk reply api-shape-x1y2 --body "Agreed." --agree'],
    load: () => import('./commands/reply.js'),
  },
  {
    path: ['read'],
    args: '<id>',
    group: 'sessions',
    summary: 'print a conversation (markdown; --json for structured turns)',
    options: [{ flags: '--since <n>', description: 'only turns after turn n' }],
    json: true,
    examples: ['crosstalk read api-shape-x1y2', 'crosstalk read api-shape-x1y2 --since 4 --json'],
    load: () => import('./commands/read.js'),
  },
  {
    path: ['list'],
    group: 'sessions',
    summary: 'list conversations',
    options: [
      { flags: '--mine', description: 'only conversations you take part in' },
      { flags: '--status <status>', description: 'in-progress, at-limit, converged or closed' },
      AS,
    ],
    json: true,
    examples: ['crosstalk list --mine --status in-progress'],
    load: () => import('./commands/list.js'),
  },
  {
    path: ['wait'],
    args: '<id>',
    group: 'sessions',
    summary: 'block until it is your turn (exit 0) or the conversation ends (exit 10)',
    description:
      'Follows the conversation live over a read-only link to the relay (polling only while the link is down). It is your turn when you are next, or when you moderate a conversation that reached its limit. Exit 10 when it is closed or converged, or at its limit with the floor not yours.',
    options: [{ flags: '--timeout <seconds>', description: 'give up after this long (exit 124)' }, AS],
    json: true,
    examples: ['crosstalk wait api-shape-x1y2 --timeout 600 && crosstalk read api-shape-x1y2 --since 3'],
    load: () => import('./commands/wait.js'),
  },
  {
    path: ['ask'],
    args: '<session> <task...>',
    group: 'sessions',
    summary: 'delegate: open a conversation with one session, wait for its answer, print it',
    description: 'The task is the opening turn. The answer (the other side\'s turns) goes to stdout, the conversation id to stderr; the conversation stays open for follow-ups.',
    options: [
      { flags: '--topic <text>', description: 'topic (default: the start of the task)' },
      { flags: '--timeout <seconds>', description: 'give up after this long (exit 124)', default: '1800' },
      AS,
    ],
    json: true,
    examples: ['crosstalk ask codex-linux "run the test suite and tell me what fails"'],
    load: () => import('./commands/ask.js'),
  },
  {
    path: ['sessions'],
    group: 'sessions',
    summary: 'list sessions, their hosts and whether they are online',
    json: true,
    examples: ['crosstalk sessions', 'crosstalk sessions --json'],
    load: () => import('./commands/sessions.js'),
  },
  {
    path: ['status'],
    args: '<id>',
    group: 'sessions',
    summary: 'who is next, wake-up receipts, last activity',
    json: true,
    examples: ['crosstalk status api-shape-x1y2'],
    load: () => import('./commands/status.js'),
  },
  {
    path: ['whoami'],
    group: 'sessions',
    summary: 'this host, the relay, and the session joined in this pane',
    options: [AS],
    json: true,
    examples: ['crosstalk whoami', 'crosstalk whoami --json'],
    load: () => import('./commands/whoami.js'),
  },
  {
    path: ['join'],
    group: 'sessions',
    summary: 'register this terminal as a session so it can be woken',
    description: 'Run inside the tmux pane (or Windows console) where the coding agent runs. Records the pane and registers the session with the relay.',
    options: [
      { flags: '--as <name>', description: 'session name (required), e.g. codex-linux' },
      { flags: '--kind <kind>', description: 'claude-code, codex or other', default: 'other' },
      { flags: '--no-wake', description: 'do not type into this terminal; the session polls with `crosstalk wait`' },
    ],
    json: true,
    examples: ['crosstalk join --as codex-linux --kind codex'],
    load: () => import('./commands/join.js'),
  },
  {
    path: ['leave'],
    group: 'sessions',
    summary: 'unregister a session',
    options: [AS],
    json: true,
    examples: ['crosstalk leave', 'crosstalk leave --as codex-linux'],
    load: () => import('./commands/leave.js'),
  },
  // --- for humans and moderators --------------------------------------------------------------
  {
    path: ['tail'],
    args: '<id>',
    group: 'moderation',
    summary: 'print a conversation; with -f, follow new turns live',
    description: 'With -f it keeps printing turns, moderation notes and the decision as they happen, until Ctrl-C or the conversation closes. With --json -f it prints one JSON object per line.',
    options: [{ flags: '-f, --follow', description: 'keep printing turns as they arrive' }],
    json: true,
    examples: ['crosstalk tail api-shape-x1y2 -f'],
    load: () => import('./commands/tail.js'),
  },
  {
    path: ['moderate'],
    args: '<id>',
    group: 'moderation',
    summary: 'moderator actions: hand the floor, extend the limit, add or remove participants',
    options: [
      { flags: '--next <sessions>', description: 'hand the floor to these sessions' },
      { flags: '--extend <n>', description: 'raise the turn limit by n' },
      { flags: '--add <session>', description: 'add a participant' },
      { flags: '--remove <session>', description: 'remove a participant' },
      { flags: '--admin', description: 'act with the relay admin key (on the relay machine)' },
      AS,
    ],
    json: true,
    examples: ['crosstalk moderate api-shape-x1y2 --extend 10', 'crosstalk moderate api-shape-x1y2 --next claude-win'],
    load: () => import('./commands/moderate.js'),
  },
  {
    path: ['close'],
    args: '<id>',
    group: 'moderation',
    summary: 'close a conversation with a resolution',
    options: [
      { flags: '--resolution <text>', description: 'what was decided (required)' },
      { flags: '--admin', description: 'act with the relay admin key (on the relay machine)' },
      AS,
    ],
    json: true,
    examples: ['crosstalk close api-shape-x1y2 --resolution "Use the paginated shape"'],
    load: () => import('./commands/close.js'),
  },
  // --- setup ----------------------------------------------------------------------------------
  {
    path: ['up'],
    group: 'setup',
    summary: 'zero-config start: a local relay plus an agent enrolled to it',
    description:
      'Runs a relay on 127.0.0.1 and this machine\'s agent in one process until Ctrl-C. The first run creates the relay\'s data in <home>/relay and enrolls this machine; later runs reuse both. Logs go to <home>/logs/up.log.',
    options: [
      { flags: '--port <port>', description: 'relay port', default: '7717' },
      { flags: '--log-level <level>', description: 'trace, debug, info, warn, error', default: 'info' },
    ],
    examples: ['crosstalk up'],
    load: () => import('./commands/up.js'),
  },
  {
    path: ['demo'],
    group: 'setup',
    summary: 'two sessions on two simulated hosts hold a real conversation in tmux',
    description:
      'Starts a private relay, two agents posing as hosts demo-linux and demo-mac, and two scripted sessions in a private tmux server; they converse through the real wake-ups until a decision is agreed and closed. Needs tmux. Everything is removed afterwards unless --keep.',
    options: [{ flags: '--keep', description: 'keep the temp dir with the copies afterwards' }],
    json: true,
    examples: ['crosstalk demo', 'crosstalk demo --keep'],
    load: () => import('./commands/demo.js'),
  },
  {
    path: ['doctor'],
    group: 'setup',
    summary: 'check the relay, clock, keys, agent, tmux panes and copies; explain fixes',
    description: 'Each check prints ok, warn, fail or skip, with what to do. Exit 1 if any check fails.',
    json: true,
    examples: ['crosstalk doctor', 'crosstalk doctor --json'],
    load: () => import('./commands/doctor.js'),
  },
  {
    path: ['skill', 'install'],
    group: 'setup',
    summary: 'teach Claude Code and Codex how to use crosstalk',
    options: [
      { flags: '--claude', description: 'install the Claude Code skill' },
      { flags: '--codex', description: 'install the Codex AGENTS.md section' },
      { flags: '--global', description: 'for every project of this user (default)' },
      { flags: '--project', description: 'for the project in the current directory' },
      { flags: '--uninstall', description: 'remove exactly what was installed' },
    ],
    json: true,
    examples: ['crosstalk skill install --claude --codex --project'],
    load: () => import('./commands/skill.js'),
  },
  // --- admin ----------------------------------------------------------------------------------
  {
    path: ['relay', 'serve'],
    group: 'admin',
    summary: 'run the relay in the foreground',
    options: [
      { flags: '--host <address>', description: 'address to listen on (0.0.0.0: every interface)', default: '127.0.0.1' },
      { flags: '--port <port>', description: 'port', default: '7717' },
      { flags: '--data-dir <dir>', description: 'data directory (default: ~/.crosstalk/relay)' },
      { flags: '--allow-origin <origins>', description: 'comma-separated web origins allowed to open the WebSocket' },
      { flags: '--log-level <level>', description: 'trace, debug, info, warn, error', default: 'info' },
    ],
    examples: ['crosstalk relay serve --host 0.0.0.0 --data-dir /srv/crosstalk'],
    load: () => import('./commands/relay-serve.js'),
  },
  {
    path: ['relay', 'invite'],
    group: 'admin',
    summary: 'mint a one-time invite; prints the `agent join` command to paste on the other machine',
    description:
      'Run it on the relay machine: it reads the admin key from the data dir and the relay\'s address from its listen.json. When the relay listens on every interface the command names this machine\'s LAN address; pass --url when other machines reach the relay by another name.',
    options: [
      { flags: '--host <name>', description: 'host name the invite is for' },
      { flags: '--expires <duration>', description: 'validity, e.g. 30m, 1h, 2d', default: '1h' },
      { flags: '--data-dir <dir>', description: 'relay data directory (default: ~/.crosstalk/relay)' },
      { flags: '--url <url>', description: 'relay URL as the other machine reaches it' },
    ],
    json: true,
    examples: ['crosstalk relay invite --host win-laptop', 'docker compose exec relay crosstalk relay invite --host linux-box'],
    load: () => import('./commands/relay-invite.js'),
  },
  {
    path: ['relay', 'hosts'],
    group: 'admin',
    summary: 'list enrolled hosts and whether their agents are connected',
    options: [{ flags: '--data-dir <dir>', description: 'relay data directory (default: ~/.crosstalk/relay)' }],
    json: true,
    examples: ['crosstalk relay hosts', 'docker compose exec relay crosstalk relay hosts'],
    load: () => import('./commands/relay-hosts.js'),
  },
  {
    path: ['relay', 'revoke'],
    args: '<host>',
    group: 'admin',
    summary: 'revoke a host: its key stops working and its sockets close at once',
    options: [{ flags: '--data-dir <dir>', description: 'relay data directory (default: ~/.crosstalk/relay)' }],
    json: true,
    examples: ['crosstalk relay revoke win-laptop'],
    load: () => import('./commands/relay-revoke.js'),
  },
  {
    path: ['relay', 'repair'],
    group: 'admin',
    summary: 'truncate a damaged event log at its first damaged record (keeps everything before it)',
    options: [{ flags: '--data-dir <dir>', description: 'relay data directory (default: ~/.crosstalk/relay)' }],
    json: true,
    examples: ['crosstalk relay repair --data-dir /srv/crosstalk'],
    load: () => import('./commands/relay-repair.js'),
  },
  {
    path: ['agent', 'join'],
    args: '<relay-url>',
    group: 'admin',
    summary: 'enroll this machine with a relay using an invite',
    options: [
      { flags: '--invite <code>', description: 'the invite code from `crosstalk relay invite` (required)' },
      { flags: '--host <name>', description: 'this host\'s name (default: from the machine name)' },
      { flags: '--conversations-dir <dir>', description: 'where to keep the markdown copies' },
    ],
    json: true,
    examples: ['crosstalk agent join http://relay.lan:7717 --invite 3kq9…  --host win-laptop'],
    load: () => import('./commands/agent-join.js'),
  },
  {
    path: ['agent', 'run'],
    group: 'admin',
    summary: 'run the host agent in the foreground (structured logs on stderr)',
    options: [{ flags: '--log-level <level>', description: 'trace, debug, info, warn, error', default: 'info' }],
    examples: ['crosstalk agent run', 'crosstalk agent run --log-level debug'],
    load: () => import('./commands/agent-run.js'),
  },
  {
    path: ['agent', 'status'],
    group: 'admin',
    summary: 'is the agent connected; relay, cursor, lag, sessions and their last receipt',
    json: true,
    examples: ['crosstalk agent status', 'crosstalk agent status --json'],
    load: () => import('./commands/agent-status.js'),
  },
  {
    path: ['agent', 'install'],
    group: 'admin',
    summary: 'run the agent as a service at logon (systemd user unit, launchd agent, Scheduled Task)',
    json: true,
    examples: ['crosstalk agent install'],
    load: async () => ({ default: (await import('./commands/agent-service.js')).install }),
  },
  {
    path: ['agent', 'uninstall'],
    group: 'admin',
    summary: 'remove the agent service',
    json: true,
    examples: ['crosstalk agent uninstall'],
    load: async () => ({ default: (await import('./commands/agent-service.js')).uninstall }),
  },
];
