// For humans and moderators.
import { LIMITS } from '@crosstalk/core/light';
import { options } from '../options/types.js';
import { name, port, sessionNames, text, wholeNumber } from '../options/values.js';
import { command, type CommandSpec } from './command.js';
import { AS, POSTING } from './shared.js';

export const TAIL_OPTIONS = options({ flags: '-f, --follow', description: 'keep printing turns as they arrive' });

const ADMIN = { flags: '--admin', description: 'act with the relay admin key (on the relay machine)' } as const;

export const MODERATE_OPTIONS = options(
  { flags: '--next <sessions>', description: 'hand the floor to these sessions', parse: sessionNames },
  { flags: '--extend <n>', description: 'raise the turn limit by n', parse: wholeNumber(1, LIMITS.maxTurnsCeiling) },
  { flags: '--add <session>', description: 'add a participant', parse: name('session') },
  { flags: '--remove <session>', description: 'remove a participant', parse: name('session') },
  ADMIN,
  AS,
  ...POSTING,
);

export const CLOSE_OPTIONS = options(
  { flags: '--resolution <text>', description: 'what was decided (required)', required: true, parse: text('resolution', LIMITS.resolutionBytes) },
  ADMIN,
  AS,
  ...POSTING,
);

export const REMOVAL_OPTIONS = options(ADMIN, AS);

export const WEB_PORT = { flags: '--web-port <port>', description: 'port of the web view', default: '7718', parse: port } as const;

export const WEB_OPTIONS = options(
  { flags: '--port <port>', description: 'port to serve on', default: '7718', parse: port },
  { flags: '--listen <addr>', description: 'address to listen on instead of 127.0.0.1 (put it behind TLS)' },
  { flags: '--open', description: 'open the login link in the default browser' },
);

export const MODERATION_COMMANDS: CommandSpec[] = [
  command({
    path: ['web'],
    group: 'moderation',
    summary: 'a web view of every conversation, live; post turns as a person, moderate',
    description:
      "Serves pages on 127.0.0.1 that act with this host's identity (the key never reaches the browser): the conversations, each one live, the sessions; and forms to post a turn as a person (a session of kind human on this host), open a conversation, and moderate. Prints a one-time login link (it works once, for 5 minutes) on stdout; every other request needs the cookie it sets. Runs until Ctrl-C. See docs/WEB.md.",
    options: WEB_OPTIONS,
    json: true,
    examples: ['crosstalk web', 'crosstalk web --open', 'crosstalk web --listen 0.0.0.0 --port 8443'],
    load: () => import('../commands/web.js'),
  }),
  command({
    path: ['tail'],
    args: '<id>',
    group: 'moderation',
    summary: 'print a conversation; with -f, follow new turns live',
    description:
      'With -f it keeps printing turns, moderation notes and the decision as they happen, until Ctrl-C or the conversation closes. With --json -f it prints one JSON object per line.',
    options: TAIL_OPTIONS,
    json: true,
    examples: ['crosstalk tail api-shape-x1y2 -f'],
    load: () => import('../commands/tail.js'),
  }),
  command({
    path: ['moderate'],
    args: '<id>',
    group: 'moderation',
    summary: 'moderator actions: hand the floor, extend the limit, add or remove participants',
    options: MODERATE_OPTIONS,
    json: true,
    examples: ['crosstalk moderate api-shape-x1y2 --extend 10', 'crosstalk moderate api-shape-x1y2 --next claude-win'],
    load: () => import('../commands/moderate.js'),
  }),
  command({
    path: ['close'],
    args: '<id>',
    group: 'moderation',
    summary: 'close a conversation with a resolution',
    options: CLOSE_OPTIONS,
    json: true,
    examples: ['crosstalk close api-shape-x1y2 --resolution "Use the paginated shape"'],
    load: () => import('../commands/close.js'),
  }),
  command({
    path: ['archive'],
    args: '<id>',
    group: 'moderation',
    summary: "archive a conversation: hidden from `list` (see --archived), every host's copy moved to archive/",
    options: REMOVAL_OPTIONS,
    json: true,
    examples: ['crosstalk archive api-shape-x1y2'],
    load: () => import('../commands/archive.js'),
  }),
  command({
    path: ['delete'],
    args: '<id>',
    group: 'moderation',
    summary: "delete a conversation: its turns leave the relay's answers and every host's copies (admin, or the moderator once closed)",
    description:
      "A tombstone stays in the log; the bodies leave the log file itself at the next `crosstalk relay compact`. The turns stop counting against the hosts' stored-bytes quota at once.",
    options: REMOVAL_OPTIONS,
    json: true,
    examples: ['crosstalk delete api-shape-x1y2', 'crosstalk delete api-shape-x1y2 --admin'],
    load: () => import('../commands/delete.js'),
  }),
];
