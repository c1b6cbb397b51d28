// Wire protocol constants shared by relay, agent and CLI. See docs/PROTOCOL.md.

/** The release, shown by `--version` and `/v1/health`; every package.json carries the same one. */
export const CROSSTALK_VERSION = '0.1.0';

/**
 * Bumped on any incompatible change to HTTP bodies, events or WebSocket messages (2: the `human`
 * session kind; 3: the version stated on every request, key rotation, withheld events). The
 * relay also serves the version before; versions.ts says which kind came with which version.
 */
export const PROTOCOL_VERSION = 3;

export const API_PREFIX = '/v1';
export const WS_PATH = '/v1/link';

/** Default relay port for `crosstalk up` and `crosstalk relay serve`. */
export const DEFAULT_PORT = 7717;

/** WebSocket close codes the relay uses; the reason text is human-readable. */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  /** The host's credential was revoked. */
  revoked: 4001,
  /** A newer agent connection for the same host replaced this one. */
  replaced: 4002,
  /** The hello was missing, malformed, or spoke another protocol version. */
  badHello: 4003,
  /** A message broke the protocol (bad JSON, unknown type, too large). */
  badMessage: 4004,
  /** The client did not answer pings. */
  dead: 4005,
  /** The client could not keep up and its send buffer overflowed. */
  tooSlow: 4006,
  /** The client's token expired; reconnect with a fresh one. */
  tokenExpired: 4007,
} as const;

/** Heartbeat: the relay pings every interval and drops a peer that missed one pong. */
export const HEARTBEAT_MS = 15_000;

/** Receipt reasons agents report (status in parentheses). */
export const RECEIPT_REASONS = {
  'copy-mode': 'the pane is in copy mode (deferred)',
  'user-typing': 'someone typed in the pane in the last seconds (deferred)',
  busy: 'the terminal cannot take input right now (deferred)',
  'waiting-input': 'the coding agent shows a dialog (a permission, approval or question prompt) that its person must answer first (deferred)',
  draft: "the coding agent's input line holds text nobody submitted yet (deferred)",
  'screen-unknown': "the coding agent's screen shows no prompt crosstalk recognises, so nothing was typed (deferred)",
  'pane-gone': 'the tmux pane or server no longer exists (failed)',
  'pane-dead': "the pane's process exited (failed)",
  'bare-shell': 'the pane fell back to a bare shell; the coding agent is not running (failed)',
  'process-gone': 'the Windows console process no longer exists (failed)',
  'not-submitted': 'the text was typed but Enter did not submit it (failed)',
  'no-wake-target': 'the session joined without a terminal to type into; it polls (failed)',
  unanswered: 'the session was woken and reminded but did not answer (failed)',
  'wake-error': 'typing into the terminal failed unexpectedly (failed)',
  'gave-up': 'deferred too many times; the moderator is told (failed)',
  waiting: 'not typed: the session is blocked in `crosstalk wait` or `ask`, which tells it of the turn (delivered)',
} as const;
