// For coding-agent sessions: conversations, turns, identity.
import { CONVERSATION_STATUSES, LIMITS, SESSION_KINDS } from '@crosstalk/core/light';
import { options } from '../options/types.js';
import { line, name, oneOf, sessionNames, timeoutMs, wholeNumber } from '../options/values.js';
import { command, type CommandSpec } from './command.js';
import { AS, BODY, POSTING } from './shared.js';

export const OPEN_OPTIONS = options(
  { flags: '--topic <text>', description: 'what the conversation is about (required)', required: true, parse: line('topic', LIMITS.topicChars) },
  { flags: '--with <sessions>', description: 'comma-separated sessions to talk with (required)', required: true, parse: sessionNames },
  { flags: '--max-turns <n>', description: 'turn limit (default 20)', parse: wholeNumber(1, LIMITS.maxTurnsCeiling) },
  { flags: '--moderator <session>', description: 'who moderates (default: you)', parse: name('session') },
  { flags: '--next <sessions>', description: 'who speaks next (default: the next participant)', parse: sessionNames },
  ...BODY,
  AS,
  ...POSTING,
);

export const REPLY_OPTIONS = options(
  ...BODY,
  { flags: '--next <sessions>', description: 'comma-separated sessions to speak next (default: rotation)', parse: sessionNames },
  { flags: '--propose [decision]', description: 'propose a decision (default: the body is the decision)' },
  { flags: '--agree', description: 'agree with the current proposal' },
  {
    flags: '--expect-turn <n>',
    description: 'fail with a conflict unless this is turn n (the wake-up line gives it; default, for people: the next turn, read just before posting)',
    parse: wholeNumber(1, 1_000_000),
  },
  AS,
  ...POSTING,
);

export const READ_OPTIONS = options(
  { flags: '--since <n>', description: 'only turns after turn n', parse: wholeNumber(0, 1_000_000) },
  { flags: '--new', description: 'only what is new to you: the state, then the turns after your own last one (all of them if you have not spoken)' },
  AS,
);

export const LIST_OPTIONS = options(
  { flags: '--mine', description: 'only conversations you take part in' },
  { flags: '--status <status>', description: 'in-progress, at-limit, converged or closed', parse: oneOf(CONVERSATION_STATUSES) },
  { flags: '--archived', description: 'include archived conversations' },
  AS,
);

export const WAIT_OPTIONS = options({ flags: '--timeout <seconds>', description: 'give up after this long (exit 124)', parse: timeoutMs }, AS);

export const ASK_OPTIONS = options(
  { flags: '--topic <text>', description: 'topic (default: the start of the task)', parse: line('topic', LIMITS.topicChars) },
  { flags: '--timeout <seconds>', description: 'give up after this long (exit 124)', default: '1800', parse: timeoutMs },
  AS,
  ...POSTING,
);

export const JOIN_OPTIONS = options(
  { flags: '--as <name>', description: 'session name (required), e.g. codex-linux', required: true, parse: name('session') },
  { flags: '--kind <kind>', description: 'claude-code, codex, other, or human (a person: never typed into)', default: 'other', parse: oneOf(SESSION_KINDS) },
  { flags: '--no-wake', description: 'do not type into this terminal; the session polls with `crosstalk wait`' },
);

export const AS_ONLY = options(AS);

export const SESSIONS_OPTIONS = options({
  flags: '--spawned',
  description: 'spawned sessions and every spawn and kill request, from the audit log in the copies directory',
});

export const SESSIONS_COMMANDS: CommandSpec[] = [
  command({
    path: ['open'],
    group: 'sessions',
    summary: 'open a conversation and post its opening turn; prints the id',
    options: OPEN_OPTIONS,
    json: true,
    examples: [
      'echo "Which response shape for /users?" | crosstalk open --topic "users API shape" --with codex-linux',
      'crosstalk open --topic "release plan" --with a,b --max-turns 10 --body-file plan.md',
    ],
    load: () => import('../commands/open.js'),
  }),
  command({
    path: ['reply'],
    args: '<id>',
    group: 'sessions',
    summary: 'post your turn in a conversation',
    options: REPLY_OPTIONS,
    json: true,
    examples: ['echo "2.1.2 + CUDA 12.4" | crosstalk reply pytorch-version-7f3a --as codex-linux', 'crosstalk reply api-shape-x1y2 --body "Agreed." --agree'],
    load: () => import('../commands/reply.js'),
  }),
  command({
    path: ['read'],
    args: '<id>',
    group: 'sessions',
    summary: 'print a conversation (markdown; --json for structured turns)',
    options: READ_OPTIONS,
    json: true,
    examples: ['crosstalk read api-shape-x1y2', 'crosstalk read api-shape-x1y2 --new --as codex-linux', 'crosstalk read api-shape-x1y2 --since 4 --json'],
    load: () => import('../commands/read.js'),
  }),
  command({
    path: ['list'],
    group: 'sessions',
    summary: 'list conversations',
    options: LIST_OPTIONS,
    json: true,
    examples: ['crosstalk list --mine --status in-progress'],
    load: () => import('../commands/list.js'),
  }),
  command({
    path: ['wait'],
    args: '<id>',
    group: 'sessions',
    summary: 'block until it is your turn (exit 0) or the conversation ends (exit 10)',
    description:
      "Follows the conversation live over a read-only link to the relay (polling only while the link is down). It is your turn when you are next, or when you moderate a conversation that reached its limit. Exit 10 when it is closed or converged, or at its limit with the floor not yours. While it waits, this host's agent types no wake-up line about the turn it returns with.",
    options: WAIT_OPTIONS,
    json: true,
    examples: ['crosstalk wait api-shape-x1y2 --timeout 600 && crosstalk read api-shape-x1y2 --since 3'],
    load: () => import('../commands/wait.js'),
  }),
  command({
    path: ['ask'],
    args: '<session> <task...>',
    group: 'sessions',
    summary: 'delegate: open a conversation with one session, wait for its answer, print it',
    description:
      "The task is the opening turn. The answer (the other side's turns) goes to stdout, the conversation id to stderr; the conversation stays open for follow-ups. While it waits, this host's agent types no wake-up line about the answer.",
    options: ASK_OPTIONS,
    json: true,
    examples: ['crosstalk ask codex-linux "run the test suite and tell me what fails"'],
    load: () => import('../commands/ask.js'),
  }),
  command({
    path: ['sessions'],
    group: 'sessions',
    summary: 'list sessions, their hosts and whether they are online',
    options: SESSIONS_OPTIONS,
    json: true,
    examples: ['crosstalk sessions', 'crosstalk sessions --json', 'crosstalk sessions --spawned'],
    load: () => import('../commands/sessions.js'),
  }),
  command({
    path: ['status'],
    args: '<id>',
    group: 'sessions',
    summary: 'who is next, wake-up receipts, last activity',
    json: true,
    examples: ['crosstalk status api-shape-x1y2'],
    load: () => import('../commands/status.js'),
  }),
  command({
    path: ['whoami'],
    group: 'sessions',
    summary: 'this host, the relay, and the session joined in this pane',
    options: AS_ONLY,
    json: true,
    examples: ['crosstalk whoami', 'crosstalk whoami --json'],
    load: () => import('../commands/whoami.js'),
  }),
  command({
    path: ['join'],
    group: 'sessions',
    summary: 'register this terminal as a session so it can be woken',
    description: 'Run inside the tmux pane (or Windows console) where the coding agent runs. Records the pane and registers the session with the relay.',
    options: JOIN_OPTIONS,
    json: true,
    examples: ['crosstalk join --as codex-linux --kind codex'],
    load: () => import('../commands/join.js'),
  }),
  command({
    path: ['leave'],
    group: 'sessions',
    summary: 'unregister a session',
    options: AS_ONLY,
    json: true,
    examples: ['crosstalk leave', 'crosstalk leave --as codex-linux'],
    load: () => import('../commands/leave.js'),
  }),
];
