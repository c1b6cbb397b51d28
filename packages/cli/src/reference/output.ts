// The `--json` output of every command that prints data: stable field names, documented in
// docs/CLI.md (generated from this table) and checked field by field by the end-to-end tests.

/** Shapes several commands share, named in the field descriptions below. */
export const SHAPES: Record<string, { what: string; fields: Record<string, string> }> = {
  Summary: {
    what: 'a conversation without its turns',
    fields: {
      id: 'conversation id',
      topic: 'topic',
      status: '`in-progress`, `at-limit`, `converged` or `closed`',
      participants: 'session names',
      moderator: 'session name',
      next: 'sessions whose turn it is',
      turns: 'number of turns so far',
      maxTurns: 'turn limit',
      openedBy: 'session name',
      openedAt: 'ISO time',
      seq: 'relay seq of the last change',
      updatedAt: 'ISO time of the last change',
    },
  },
  Turn: {
    what: 'one turn',
    fields: {
      n: 'turn number (1, 2, …)',
      author: 'session name (stamped by the relay)',
      host: 'host it was posted from',
      at: 'ISO time (relay clock)',
      body: 'markdown text',
      next: 'sessions named to speak next',
      proposes: 'decision text, when the turn proposes one (optional)',
      agrees: 'turn number of the proposal it agrees with (optional)',
    },
  },
  Conversation: {
    what: 'a conversation with its turns',
    fields: {
      id: 'conversation id',
      topic: 'topic',
      openedBy: 'session name',
      openedAt: 'ISO time',
      participants: 'session names',
      moderator: 'session name',
      status: '`in-progress`, `at-limit`, `converged` or `closed`',
      maxTurns: 'turn limit',
      next: 'sessions whose turn it is',
      turns: 'Turn[]',
      notes: 'moderation notes: `{afterTurn, by, at, text}[]`',
      proposal: '`{turn, by, text, agreed}` or null',
      decision: '`{text, turn, at, agreedBy}` or null',
      resolution: '`{text, by, at}` or null',
      seq: 'relay seq of the last change',
    },
  },
};

export interface OutputDoc {
  fields: Record<string, string>;
  /** Anything a field table cannot say (streams, exit codes). */
  note?: string;
}

const post: OutputDoc = {
  fields: {
    id: 'conversation id',
    conversation: 'Summary after the post',
    turn: 'the Turn posted',
    seq: 'relay seq of the post',
    duplicate: 'true when this was a retry of a post that had already landed',
  },
};

export const OUTPUT: Record<string, OutputDoc> = {
  open: post,
  reply: post,
  read: { fields: { conversation: 'Conversation (with `--since N`, only turns after N; with `--new`, only the turns and notes after your own last turn)' } },
  list: {
    fields: { conversations: 'Summary[]' },
    note: 'With --archived, archived conversations are listed too, each Summary with `archived: true`.',
  },
  wait: {
    fields: {
      id: 'conversation id',
      session: 'the waiting session',
      result: '`your-turn` (exit 0), `ended` (exit 10) or `interrupted` (exit 130)',
      status: 'conversation status',
      turn: 'number of the next turn',
      maxTurns: 'turn limit',
      next: 'sessions whose turn it is',
    },
    note: 'A timeout prints the TIMEOUT error (exit 124) instead.',
  },
  ask: {
    fields: {
      id: 'conversation id',
      to: 'the session asked',
      result: '`your-turn` (answered), `ended` or `interrupted`',
      status: 'conversation status',
      answer: 'the answer text (the bodies of the answering turns), or null',
      turns: 'the answering Turn[]',
    },
  },
  sessions: {
    fields: {
      sessions:
        "`{name, host, kind, wake: {type}, joinedAt, online, state?, stateSince?}[]`; `state` is `idle`, `working`, `waiting-input`, `gone` or `unknown` (no hooks), as its host last reported; absent while its host's agent is not connected",
      spawned:
        'with `--spawned`: the spawned sessions not killed since, `{session, host, kind, by, cwd, startedAt, state}[]` (`state` as above, `gone` once unregistered); else null',
      requests:
        'with `--spawned`: every spawn and kill request in the audit log, `{request, action, session, host, by, kind, cwd, requestedAt, outcome, reason, detail, answeredAt}[]`; `outcome` is `started`, `killed`, `refused` (with the rule in `reason`), `failed` or `pending`; else null',
    },
  },
  spawn: {
    fields: {
      session: 'the new session name',
      host: 'the host it runs on',
      kind: '`claude-code`, `codex` or `other`',
      state: 'its state as its host reported it (`idle`, `working`, …)',
      cwd: 'the resolved directory it was started in',
      request: 'the request id (in the log and the audit)',
      detail: 'what the host said (`ready in N ms; first task typed`)',
      conversation: 'the conversation `--with` opened, or null',
    },
  },
  kill: { fields: { session: 'session name', host: 'its host', state: '`gone`', request: 'the request id' } },
  peek: {
    fields: {
      session: 'session name',
      host: 'the host it runs on',
      pane: 'its tmux pane or `console <pid>`; null when read through the relay',
      lines: 'the last lines of its screen, controls removed',
    },
  },
  status: {
    fields: {
      id: 'conversation id',
      topic: 'topic',
      status: 'conversation status',
      turns: 'number of turns',
      maxTurns: 'turn limit',
      next: 'sessions whose turn it is',
      moderator: 'session name',
      participants: 'session names',
      proposal: '`{turn, by, text, agreed}` or null',
      decision: '`{text, turn, at, agreedBy}` or null',
      resolution: '`{text, by, at}` or null',
      lastActivity: '`{at, by, what}`: the latest turn, moderation or close',
      states: 'per participant: `{session, state, since}`; `state` as in `crosstalk sessions`, null when its host does not say',
      receipts:
        'latest wake-up receipt per session: `{session, host, turn, status, reason, words, attempt, at}[]`; `words` says it for a person ("waiting for the person to answer a permission prompt …")',
    },
  },
  whoami: {
    fields: {
      home: 'the crosstalk home',
      host: "this host's name",
      relayUrl: 'relay URL',
      relayId: 'relay id',
      conversationsDir: 'where the markdown copies are',
      session: '`{name, kind, wake, joinedAt}` of the session joined in this pane (or `--as`), or null',
    },
  },
  join: {
    fields: {
      session: 'session name',
      host: 'host name',
      kind: 'session kind',
      wake: 'the wake target recorded (`{type: "tmux", pane, socket, …}`, `{type: "console", pid}` or `{type: "none"}`)',
      joinedAt: 'ISO time',
    },
  },
  leave: { fields: { session: 'session name', removedOnRelay: 'whether the relay knew it', removedLocally: 'whether this host had it recorded' } },
  tail: {
    fields: { conversation: 'Conversation' },
    note: 'With `-f`, one JSON object per line instead: `{type: "conversation", conversation}` first, then `{type: "turn", turn}`, `{type: "note", note}` and `{type: "status", status, next}` as they happen.',
  },
  moderate: { fields: { conversation: 'Summary after the action', seq: 'relay seq of the action' } },
  web: {
    fields: { url: 'where the web view is served', login: 'the one-time login link', expiresAt: 'ISO time the link stops working' },
    note: 'Printed once the web view serves, as one line; the command then runs until Ctrl-C.',
  },
  close: { fields: { conversation: 'Summary after closing', seq: 'relay seq of the close' } },
  archive: { fields: { conversation: 'conversation id', seq: 'relay seq of the archive event', archived: '`true`' } },
  delete: { fields: { conversation: 'conversation id', seq: 'relay seq of the tombstone', deleted: '`true`' } },
  demo: {
    fields: {
      id: 'conversation id',
      status: '`closed`',
      turns: 'number of turns',
      decision: 'the decision text',
      resolution: 'the resolution text',
      copies: '`{host, session, path}[]`: the markdown copies',
      identical: "whether the hosts' copies are byte-identical",
      kept: 'the temp dir when `--keep` was given, else null',
      markdown: "the copy's text",
    },
  },
  doctor: { fields: { ok: 'false when a check failed (exit 1)', checks: '`{name, status: ok|warn|fail|skip, message, hint?}[]`' } },
  'skill install': {
    fields: {
      actions: '`{product: claude|codex, part: instructions|permissions|hooks|hook-trust, path, change: create|update|remove|unchanged}[]`',
      warnings: 'strings',
    },
  },
  'relay invite': {
    fields: {
      invite: 'the invite code (secret; works once)',
      id: 'public id of the invite',
      host: 'host name it is for, or null',
      expiresAt: 'ISO time',
      relayUrl: 'relay URL for the other machine',
      command: 'the `crosstalk agent join …` line to run there',
    },
  },
  'relay hosts': { fields: { hosts: '`{name, enrolledAt, revokedAt, connected, cursor, lastSeenAt}[]`' } },
  'relay revoke': { fields: { host: 'host name', revoked: 'true' } },
  'relay rotate-admin-key': {
    fields: {
      publicKey: '`x` of the new admin public key',
      previousUntil: 'until when the replaced key is still accepted (ISO time)',
      dataDir: 'the data dir whose admin-key.json holds the new key',
    },
  },
  'relay repair': {
    fields: {
      file: 'the event log',
      records: 'good records kept',
      lastSeq: 'seq of the last record kept',
      truncatedAt: 'byte offset the log was cut at, or null when it was sound',
      removedBytes: 'bytes removed',
      damage: 'what was damaged, or null',
      newEpoch: "the relay's new epoch when records agents may have seen were dropped, else null",
    },
  },
  'relay compact': {
    fields: {
      file: 'the event log',
      bytesBefore: 'its size before',
      bytesAfter: 'its size after (the same when there was nothing to remove)',
      records: 'records in the log (compaction keeps every seq)',
      purged: 'records of deleted conversations emptied',
      conversations: 'deleted conversations whose content was removed',
      newEpoch: "the relay's new epoch, or null when the log was left as it was",
      ms: 'milliseconds taken',
    },
  },
  'agent join': { fields: { host: 'host name', relayUrl: 'relay URL', relayId: 'relay id', conversationsDir: 'where copies go', home: 'the crosstalk home' } },
  'agent rotate-key': {
    fields: {
      host: 'host name',
      publicKey: '`x` of the new public key',
      previousUntil: 'until when the replaced key is still accepted (ISO time); null when an interrupted rotation was finished',
    },
  },
  'agent status': {
    fields: {
      running: 'whether the agent runs (exit 5 when not)',
      host: 'host name',
      relayUrl: 'relay URL',
      status: 'what the agent last wrote to its status file (`state`, `connected`, `cursor`, `head`, `lag`, `lastError`, `sessions`, …), or null',
      service: '`{platform, definition, installed, running, state}`, or null where no service manager is supported',
      spawn: "this host's spawn policy: `{enabled, allow, kinds, roots, maxSessions, commands, readyTimeoutSeconds}` (docs/SPAWN.md)",
      outbox:
        "`{posts, oldest}`: the posts this host's agent keeps on disk until the relay acknowledges them (sent when the link is up; a stopped agent sends them when it starts), and when the oldest was taken (ISO), or null",
    },
  },
  'agent install': {
    fields: {
      installed: 'true',
      platform: 'linux, darwin or win32',
      definition: 'the unit, plist or task file',
      changed: 'false when it was already installed as is',
      warnings: 'strings',
    },
  },
  'agent uninstall': {
    fields: {
      removed: 'false when nothing was installed',
      platform: 'linux, darwin or win32',
      definition: 'the unit, plist or task file',
      warnings: 'what the service manager could not do (the file is removed all the same)',
    },
  },
};
