// Relay and agent administration.
import { options } from '../options/types.js';
import { commaList, duration, name, port, wholeNumber } from '../options/values.js';
import { command, type CommandSpec } from './command.js';
import { DATA_DIR, LOG_LEVEL } from './shared.js';

export const SERVE_OPTIONS = options(
  { flags: '--host <address>', description: 'address to listen on (0.0.0.0: every interface)', default: '127.0.0.1' },
  { flags: '--port <port>', description: 'port', default: '7717', parse: port },
  { flags: '--data-dir <dir>', description: 'data directory (default: ~/.crosstalk/relay)' },
  { flags: '--allow-origin <origins>', description: 'comma-separated web origins allowed to open the WebSocket', parse: commaList },
  { flags: '--quota-open <n>', description: 'per host: conversations it opened and not closed (default 200)', parse: wholeNumber(1, 1_000_000) },
  { flags: '--quota-mib-per-hour <n>', description: 'per host: MiB of turns posted in any hour (default 32)', parse: wholeNumber(1, 1_048_576) },
  { flags: '--quota-stored-mib <n>', description: 'per host: MiB of turns stored in all (default 256)', parse: wholeNumber(1, 1_048_576) },
  {
    flags: '--key-overlap <duration>',
    description: 'after a key rotation, how long the replaced key still works, e.g. 30s, 5m (default 5m)',
    parse: duration(1, 86_400),
  },
  {
    flags: '--compact-every-hours <n>',
    description: 'compact the log this often when deleted conversations left content in it (a restart of a moment; default: only `relay compact`)',
    parse: wholeNumber(1, 8760),
  },
  {
    flags: '--retain-closed-days <n>',
    description: 'delete conversations closed more than n days ago (checked hourly; default: keep them)',
    parse: wholeNumber(1, 36_500),
  },
  LOG_LEVEL,
);

export const INVITE_OPTIONS = options(
  { flags: '--host <name>', description: 'host name the invite is for', parse: name('host') },
  { flags: '--expires <duration>', description: 'validity, e.g. 30m, 1h, 2d', default: '1h', parse: duration(60, 30 * 86_400) },
  DATA_DIR,
  { flags: '--url <url>', description: 'relay URL as the other machine reaches it (default: $CROSSTALK_PUBLIC_URL, else found out)' },
);

export const DATA_DIR_ONLY = options(DATA_DIR);

export const AGENT_JOIN_OPTIONS = options(
  { flags: '--invite <code>', description: 'the invite code from `crosstalk relay invite` (required)', required: true },
  { flags: '--host <name>', description: "this host's name (default: from the machine name)", parse: name('host') },
  { flags: '--conversations-dir <dir>', description: 'where to keep the markdown copies' },
  {
    flags: '--replace',
    description:
      'enroll a home that is already enrolled again (after `relay revoke`, a lost key, or another relay): a new key; same host name and copies folder unless given',
  },
);

export const AGENT_RUN_OPTIONS = options(LOG_LEVEL);

export const ADMIN_COMMANDS: CommandSpec[] = [
  command({
    path: ['relay', 'serve'],
    group: 'admin',
    summary: 'run the relay in the foreground',
    options: SERVE_OPTIONS,
    examples: ['crosstalk relay serve --host 0.0.0.0 --data-dir /srv/crosstalk'],
    load: () => import('../commands/relay-serve.js'),
  }),
  command({
    path: ['relay', 'invite'],
    group: 'admin',
    summary: 'mint a one-time invite; prints the `agent join` command to paste on the other machine',
    description:
      "Run it on the relay machine: it reads the admin key from the data dir and the relay's address from its listen.json. When the relay listens on every interface the command names this machine's LAN address; pass --url when other machines reach the relay by another name.",
    options: INVITE_OPTIONS,
    json: true,
    examples: ['crosstalk relay invite --host win-laptop', 'docker compose exec relay crosstalk relay invite --host linux-box'],
    load: () => import('../commands/relay-invite.js'),
  }),
  command({
    path: ['relay', 'hosts'],
    group: 'admin',
    summary: 'list enrolled hosts and whether their agents are connected',
    options: DATA_DIR_ONLY,
    json: true,
    examples: ['crosstalk relay hosts', 'docker compose exec relay crosstalk relay hosts'],
    load: () => import('../commands/relay-hosts.js'),
  }),
  command({
    path: ['relay', 'revoke'],
    args: '<host>',
    group: 'admin',
    summary: 'revoke a host: its key stops working and its sockets close at once',
    options: DATA_DIR_ONLY,
    json: true,
    examples: ['crosstalk relay revoke win-laptop'],
    load: () => import('../commands/relay-revoke.js'),
  }),
  command({
    path: ['relay', 'rotate-admin-key'],
    group: 'admin',
    summary: 'replace the relay admin key; the old one keeps working for the overlap (default 5 min)',
    description:
      'Run it on the relay machine: the running relay makes a new key pair and writes it over admin-key.json (mode 0600); the replaced key is accepted until the overlap ends, then refused. The log records the change (admin.key-rotated).',
    options: DATA_DIR_ONLY,
    json: true,
    examples: ['crosstalk relay rotate-admin-key', 'docker compose exec relay crosstalk relay rotate-admin-key'],
    load: () => import('../commands/relay-rotate-admin-key.js'),
  }),
  command({
    path: ['relay', 'repair'],
    group: 'admin',
    summary: 'truncate a damaged event log at its first damaged record (keeps everything before it)',
    options: DATA_DIR_ONLY,
    json: true,
    examples: ['crosstalk relay repair --data-dir /srv/crosstalk'],
    load: () => import('../commands/relay-repair.js'),
  }),
  command({
    path: ['relay', 'compact'],
    group: 'admin',
    summary: 'rewrite the event log without the turns of deleted conversations; prints its size before and after',
    description:
      'On a stopped relay it works on the data dir under its lock; a running relay is asked (with the admin key from the data dir) and restarts in place for it, and the command waits for the outcome. Tombstones stay; the relay gets a new epoch, and every agent rebuilds its copies from what it already has on its next connection. A kill at any moment leaves the old log or the new one.',
    options: DATA_DIR_ONLY,
    json: true,
    examples: ['crosstalk relay compact --data-dir /srv/crosstalk'],
    load: () => import('../commands/relay-compact.js'),
  }),
  command({
    path: ['agent', 'join'],
    args: '<relay-url>',
    group: 'admin',
    summary: 'enroll this machine with a relay using an invite',
    options: AGENT_JOIN_OPTIONS,
    json: true,
    examples: [
      'crosstalk agent join http://relay.lan:7717 --invite 3kq9…  --host win-laptop',
      'crosstalk agent join http://relay.lan:7717 --invite 7hx2… --replace',
    ],
    load: () => import('../commands/agent-join.js'),
  }),
  command({
    path: ['agent', 'run'],
    group: 'admin',
    summary: 'run the host agent in the foreground (structured logs on stderr)',
    options: AGENT_RUN_OPTIONS,
    examples: ['crosstalk agent run', 'crosstalk agent run --log-level debug'],
    load: () => import('../commands/agent-run.js'),
  }),
  command({
    path: ['agent', 'status'],
    group: 'admin',
    summary: 'is the agent connected; relay, cursor, lag, posts waiting in its outbox, sessions and their last receipt',
    json: true,
    examples: ['crosstalk agent status', 'crosstalk agent status --json'],
    load: () => import('../commands/agent-status.js'),
  }),
  command({
    path: ['agent', 'rotate-key'],
    group: 'admin',
    summary: "replace this host's key: a new key pair here, the relay takes it on a request signed with the old one",
    description:
      'The old key keeps working for the overlap (default 5 min), then the relay refuses it; a running agent reconnects with the new key by itself. host-key.json is replaced atomically and stays readable by you only. The log records the change (host.key-rotated).',
    json: true,
    examples: ['crosstalk agent rotate-key'],
    load: () => import('../commands/agent-rotate-key.js'),
  }),
  command({
    path: ['agent', 'install'],
    group: 'admin',
    summary: 'run the agent as a service at logon (systemd user unit, launchd agent, Scheduled Task)',
    json: true,
    examples: ['crosstalk agent install'],
    load: async () => ({ default: (await import('../commands/agent-service.js')).install }),
  }),
  command({
    path: ['agent', 'uninstall'],
    group: 'admin',
    summary: 'remove the agent service',
    json: true,
    examples: ['crosstalk agent uninstall'],
    load: async () => ({ default: (await import('../commands/agent-service.js')).uninstall }),
  }),
];
