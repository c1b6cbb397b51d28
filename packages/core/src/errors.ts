// The catalogue of every error crosstalk reports. Codes are stable: scripts and coding agents
// branch on them, so a code is never renamed or reused. docs/ERRORS.md is checked against it.

export interface ErrorSpec {
  /** HTTP status the relay answers with. */
  readonly status: number;
  /** CLI exit code (see docs/ERRORS.md). */
  readonly exit: number;
  /** Default message; callers may give a more specific one. */
  readonly message: string;
  /** What to do next. */
  readonly hint: string;
}

export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  conflict: 3,
  auth: 4,
  unreachable: 5,
  /** `crosstalk wait`: the conversation ended (closed, converged, or at its limit) before it was your turn. */
  ended: 10,
  timeout: 124,
  /** Ctrl-C (128 + SIGINT) while a command waited. */
  interrupted: 130,
} as const;

const spec = (status: number, exit: number, message: string, hint: string): ErrorSpec => ({ status, exit, message, hint });

export const ERRORS = {
  // --- input ---------------------------------------------------------------------------------
  INVALID_REQUEST: spec(
    400,
    EXIT.usage,
    'the request is malformed',
    'check the command or request body against `crosstalk <command> --help` or docs/PROTOCOL.md',
  ),
  USAGE: spec(400, EXIT.usage, 'the command line is not valid', 'see `crosstalk <command> --help` for its arguments and options'),
  INVALID_NAME: spec(
    400,
    EXIT.usage,
    'invalid name',
    'names are 1-64 characters of a-z, 0-9 and "-", starting and ending with a letter or digit, and not a Windows device name (con, nul, com1, ...)',
  ),
  INVALID_TEXT: spec(422, EXIT.usage, 'invalid text', 'text must be valid UTF-8 without NUL characters'),
  BODY_TOO_LARGE: spec(413, EXIT.usage, 'the body is too large', 'keep a turn body under 64 KiB; put long material in a file and refer to it'),
  EMPTY_BODY: spec(400, EXIT.usage, 'the body is empty', 'pass the text on stdin, with --body, or with --body-file'),
  // --- authentication and authorisation ------------------------------------------------------
  AUTH_REQUIRED: spec(
    401,
    EXIT.auth,
    'no credential was presented',
    'requests need an `Authorization: Bearer <jwt>` header signed by an enrolled host key; enroll with `crosstalk agent join`',
  ),
  AUTH_INVALID: spec(
    401,
    EXIT.auth,
    'the credential is not valid',
    'check that this host is enrolled with this relay (`crosstalk doctor`); re-enroll with a new invite if the key was lost',
  ),
  AUTH_EXPIRED: spec(
    401,
    EXIT.auth,
    'the credential has expired or is not yet valid',
    "check that this machine's clock is right (`crosstalk doctor` shows the skew against the relay)",
  ),
  AUTH_REPLAYED: spec(401, EXIT.auth, 'the credential was already used', 'every request needs a fresh token; retry the command'),
  TOKEN_IN_URL: spec(401, EXIT.auth, 'credentials are not accepted in URLs', 'send the token in the Authorization header'),
  HOST_UNKNOWN: spec(
    401,
    EXIT.auth,
    'this host is not enrolled with the relay',
    'ask the relay admin for an invite (`crosstalk relay invite`) and run `crosstalk agent join`',
  ),
  HOST_REVOKED: spec(
    401,
    EXIT.auth,
    'this host has been revoked',
    'ask the relay admin for a new invite and enroll again: `crosstalk agent join <relay-url> --invite <code> --replace`',
  ),
  FORBIDDEN_ORIGIN: spec(403, EXIT.auth, 'the request came from a foreign web origin', 'connect from a crosstalk agent or CLI, not from a web page'),
  ADMIN_REQUIRED: spec(
    403,
    EXIT.auth,
    'this action needs the relay admin key',
    'run it on the relay machine (`crosstalk relay …` reads the admin key from the relay data dir)',
  ),
  SESSION_NOT_OWNED: spec(
    403,
    EXIT.auth,
    'that session belongs to another host',
    'act only as sessions joined on this machine (`crosstalk sessions` shows owners)',
  ),
  NOT_MODERATOR: spec(403, EXIT.conflict, 'only the moderator may do this', 'ask the moderator, or use the relay admin key'),
  // --- invites -------------------------------------------------------------------------------
  INVITE_INVALID: spec(401, EXIT.auth, 'the invite code is not valid', 'check the code, or ask the relay admin for a new invite (`crosstalk relay invite`)'),
  INVITE_EXPIRED: spec(401, EXIT.auth, 'the invite has expired', 'ask the relay admin for a new invite (`crosstalk relay invite`)'),
  INVITE_USED: spec(409, EXIT.auth, 'the invite has already been used', 'invites work once; ask the relay admin for a new one'),
  INVITE_HOST_MISMATCH: spec(
    403,
    EXIT.auth,
    'the invite was minted for another host name',
    'join with the host name the invite names (--host), or ask for a new invite',
  ),
  HOST_TAKEN: spec(
    409,
    EXIT.conflict,
    'that host name is already enrolled',
    'choose another --host name, or have the admin revoke the old host first (`crosstalk relay revoke`)',
  ),
  // --- things that do not exist ---------------------------------------------------------------
  NOT_FOUND: spec(404, EXIT.error, 'no such endpoint', 'check the relay version (`crosstalk doctor`)'),
  CONVERSATION_NOT_FOUND: spec(404, EXIT.error, 'no such conversation', 'list conversations with `crosstalk list`'),
  SESSION_NOT_FOUND: spec(404, EXIT.error, 'no such session', 'list sessions with `crosstalk sessions`; a session registers with `crosstalk join --as <name>`'),
  HOST_NOT_FOUND: spec(404, EXIT.error, 'no such host', 'list hosts with `crosstalk relay hosts`'),
  // --- conversation rules --------------------------------------------------------------------
  NOT_YOUR_TURN: spec(
    409,
    EXIT.conflict,
    "it is not this session's turn",
    'wait for your turn with `crosstalk wait <id>`; the moderator can hand you the floor',
  ),
  TURN_CONFLICT: spec(409, EXIT.conflict, 'the conversation has moved on since you read it', 'read the new turns (`crosstalk read <id>`) and reply again'),
  CONVERSATION_CLOSED: spec(409, EXIT.conflict, 'the conversation is closed', 'open a new conversation with `crosstalk open`'),
  CONVERSATION_CONVERGED: spec(
    409,
    EXIT.conflict,
    'the conversation has converged on a decision',
    'the moderator can close it, or reopen it with `crosstalk moderate <id> --next <session>`',
  ),
  LIMIT_REACHED: spec(
    409,
    EXIT.conflict,
    'the conversation reached its turn limit',
    'the moderator can extend it (`crosstalk moderate <id> --extend 10`) or close it',
  ),
  // --- archive and delete ----------------------------------------------------------------------
  CONVERSATION_ARCHIVED: spec(409, EXIT.conflict, 'the conversation is already archived', 'nothing to do; `crosstalk list --archived` shows it'),
  CONVERSATION_NOT_CLOSED: spec(
    409,
    EXIT.conflict,
    'only a closed conversation can be deleted by its moderator',
    'close it first (`crosstalk close <id>`), or have the relay admin delete it',
  ),
  NO_PROPOSAL: spec(409, EXIT.conflict, 'there is no proposal to agree with', 'propose a decision with `crosstalk reply <id> --propose`'),
  NOT_A_PARTICIPANT: spec(422, EXIT.usage, 'that session is not a participant', 'the moderator can add it with `crosstalk moderate <id> --add <session>`'),
  ALREADY_PARTICIPANT: spec(409, EXIT.conflict, 'that session is already a participant', 'nothing to do'),
  TOO_FEW_PARTICIPANTS: spec(422, EXIT.usage, 'a conversation needs at least two participants', 'name the other side with --with <session>'),
  IDEMPOTENCY_KEY_REUSED: spec(422, EXIT.usage, 'that idempotency key was used for a different request', 'use a fresh idempotency key for a new request'),
  SESSION_TAKEN: spec(409, EXIT.conflict, 'that session name is registered by another host', 'choose another name with --as'),
  // --- spawn, kill, peek (docs/SPAWN.md) ----------------------------------------------------------
  SPAWN_REFUSED: spec(
    403,
    EXIT.auth,
    "the host's spawn policy refused the request",
    "the message names the rule; the policy is in the `spawn` section of that host's config.json (`crosstalk doctor` there shows it; docs/SPAWN.md)",
  ),
  SPAWN_FAILED: spec(
    500,
    EXIT.error,
    'the host could not start or stop the coding agent',
    'the message says why; `crosstalk doctor` and the agent log on that host say more',
  ),
  REQUEST_NOT_FOUND: spec(
    404,
    EXIT.error,
    'no spawn or kill request of that id at that seq',
    'an outcome names the request it answers, as its event in the log has it (`id` and `request`, the seq)',
  ),
  NOT_ASKED_HOST: spec(
    403,
    EXIT.auth,
    'only the host a spawn or kill request was sent to may report its outcome',
    'the outcome is reported by the agent of the asked host; `crosstalk sessions --spawned` shows which host that is',
  ),
  PEEK_UNAVAILABLE: spec(
    503,
    EXIT.unreachable,
    "the session's host agent is not linked to the relay, so its screen cannot be read",
    "start the agent on that host (`crosstalk agent run`, or its service); `crosstalk sessions` shows the host's sessions offline meanwhile",
  ),
  PEEK_TIMEOUT: spec(
    504,
    EXIT.timeout,
    "the session's host agent did not send the screen in time",
    'try again; `crosstalk doctor` on that host says whether its agent is well',
  ),
  // --- limits and protocol -------------------------------------------------------------------
  RATE_LIMITED: spec(429, EXIT.error, 'too many requests from this host', 'slow down and retry after a moment'),
  QUOTA_EXCEEDED: spec(
    429,
    EXIT.error,
    'this host is over one of its quotas at the relay',
    'close conversations you no longer need (`crosstalk close`), wait for the hourly quota to free up, or ask the relay admin to raise the limit',
  ),
  PROTOCOL_MISMATCH: spec(
    400,
    EXIT.error,
    'the relay and this program speak different protocol versions',
    'upgrade the older side so both run the same crosstalk version',
  ),
  // --- versions and formats --------------------------------------------------------------------
  PROTOCOL_TOO_OLD: spec(
    426,
    EXIT.error,
    'this program speaks a protocol version the relay no longer serves',
    'upgrade crosstalk (agent and CLI) on this machine to the release the relay runs; `crosstalk doctor` shows both versions',
  ),
  PROTOCOL_TOO_NEW: spec(
    426,
    EXIT.error,
    'this program speaks a protocol version newer than the relay',
    'upgrade the relay first (it serves its own protocol version and the one before), then this machine',
  ),
  DATA_FORMAT_TOO_NEW: spec(
    500,
    EXIT.error,
    'the data was written by a newer crosstalk',
    'run the newer crosstalk release that wrote it, or restore the backup that release left when it migrated the data',
  ),
  INTERNAL: spec(500, EXIT.error, 'the relay hit an internal error', 'retry; if it persists, check the relay log'),
  SHUTTING_DOWN: spec(503, EXIT.unreachable, 'the relay is shutting down', 'retry in a moment'),
  // --- the web view (`crosstalk web`) ---------------------------------------------------------
  LOGIN_REQUIRED: spec(
    401,
    EXIT.auth,
    'this page needs a login',
    'open the one-time login link `crosstalk web` (or `crosstalk up`) printed; run it again for a new one',
  ),
  LOGIN_LINK_INVALID: spec(
    401,
    EXIT.auth,
    'the login link was used already or has expired',
    'each link works once, for a few minutes: run `crosstalk web` again for a new one',
  ),
  CSRF_REFUSED: spec(
    403,
    EXIT.auth,
    'the request did not come from a page of this web view',
    'reload the page and send the form again; forms sent from another site, or without their token, are refused',
  ),
  HOST_HEADER_REFUSED: spec(
    403,
    EXIT.auth,
    'the web view was asked for under a host name it does not serve',
    'open the address `crosstalk web` printed; behind a proxy, run it with --listen and keep the Host header',
  ),
  // --- local (CLI, agent, relay start) -------------------------------------------------------
  RELAY_UNREACHABLE: spec(
    503,
    EXIT.unreachable,
    'the relay is unreachable',
    'start a relay on this machine with `crosstalk up`, or check that the remote one runs and is reachable; `crosstalk doctor` checks the whole setup',
  ),
  NOT_ENROLLED: spec(
    400,
    EXIT.auth,
    'this machine is not enrolled with a relay',
    'run `crosstalk up` for a local relay, or `crosstalk agent join <relay-url> --invite <code>`',
  ),
  NO_SESSION: spec(400, EXIT.usage, 'no session identity', 'pass --as <session>, or run `crosstalk join --as <name>` in this tmux pane first'),
  TIMEOUT: spec(504, EXIT.timeout, 'timed out', 'retry with a longer --timeout'),
  CONFIG_INVALID: spec(400, EXIT.error, 'the configuration is invalid', 'fix or remove the file named in the message'),
  FILE_UNREADABLE: spec(
    500,
    EXIT.error,
    'a file crosstalk keeps cannot be read',
    "the message names the file and the system's reason: give the user crosstalk runs as access to it, or move away whatever stands in its place",
  ),
  LOG_CORRUPT: spec(
    500,
    EXIT.error,
    'the relay log is damaged',
    'restore the data dir from a backup, or keep the records before the damage with `crosstalk relay repair --data-dir <dir>`',
  ),
  DATA_DIR_LOCKED: spec(500, EXIT.error, 'another relay is using this data dir', 'stop the other relay, or pass another --data-dir'),
  AGENT_REPLACED: spec(
    409,
    EXIT.conflict,
    'another agent for this host connected to the relay and replaced this one',
    'run one agent per host: stop the other one (`crosstalk agent status` on each machine), or enroll this machine under its own host name',
  ),
  AGENT_NOT_RUNNING: spec(503, EXIT.unreachable, 'the host agent is not running', 'start it with `crosstalk agent run` (or `crosstalk up`)'),
  POST_QUEUED: spec(
    503,
    EXIT.unreachable,
    "the relay did not acknowledge the post in time; this host's agent keeps it and sends it when the relay is back",
    'nothing to redo: the post lands once the relay is back (`crosstalk read <id>` shows it); `crosstalk agent status` shows the link',
  ),
  POST_INTERRUPTED: spec(
    503,
    EXIT.interrupted,
    'interrupted (Ctrl-C) before the relay acknowledged the post',
    "the message says what became of the post; `crosstalk read <id>` shows whether it landed, and `crosstalk agent status` what this host's agent still holds",
  ),
  AGENT_RUNNING: spec(
    409,
    EXIT.conflict,
    'another agent already runs for this crosstalk home',
    'run one agent per home: stop the other one (`crosstalk agent status` says which), or give this one its own CROSSTALK_HOME',
  ),
  WAKE_FAILED: spec(500, EXIT.error, 'could not wake the session', "check the session's terminal with `crosstalk doctor`"),
  SERVICE_FAILED: spec(
    500,
    EXIT.error,
    'the service manager refused the request',
    'the message names the command that failed; `crosstalk agent run` in a terminal shows whether the agent itself starts',
  ),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/** The wire shape of an error: what the relay sends and `--json` prints. */
export interface ErrorBody {
  code: string;
  message: string;
  hint: string;
  details?: Record<string, unknown>;
}

/** Marks a CrosstalkError wherever its class was loaded from (see `Symbol.hasInstance` below). */
const BRAND = Symbol.for('crosstalk.error');

export class CrosstalkError extends Error {
  /**
   * The CLI's fast entry is bundled apart from the rest of the CLI (packages/cli/scripts/bundle.mjs),
   * so a process may hold two copies of this class: an error is one by its brand, not its copy.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly hint: string;
  readonly status: number;
  readonly exitCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    const entry = ERRORS[code];
    super(message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CrosstalkError';
    this.code = code;
    this.hint = options.hint ?? entry.hint;
    this.status = entry.status;
    this.exitCode = entry.exit;
    this.details = options.details;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message, hint: this.hint };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }

  /** Rebuild an error received from the relay; unknown codes become INTERNAL with the original text. */
  static fromBody(body: unknown, fallbackStatus?: number): CrosstalkError {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody>;
    const code = isErrorCode(b.code) ? b.code : 'INTERNAL';
    const message = typeof b.message === 'string' ? b.message : `relay answered ${fallbackStatus ?? 'an error'}`;
    const opts: { hint?: string; details?: Record<string, unknown> } = {};
    if (typeof b.hint === 'string') opts.hint = b.hint;
    if (b.details && typeof b.details === 'object') opts.details = b.details;
    return new CrosstalkError(code, message, opts);
  }
}

/** A file that is there but cannot be read (no permission, a directory in its place, …), named with the system's reason. */
export function unreadableFile(path: string, cause: unknown): CrosstalkError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
  return new CrosstalkError('FILE_UNREADABLE', `cannot read ${path} (${reason})`, { details: { file: path, reason }, cause });
}
