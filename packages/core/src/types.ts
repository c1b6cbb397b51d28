// The domain model shared by relay, agent and CLI. Wire and log shapes are validated by the
// zod schemas in schemas.ts, which mirror these types.

export const SESSION_KINDS = ['claude-code', 'codex', 'other'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** Where a session's terminal is, so its host agent can type a wake-up into it. */
export type WakeTarget =
  | {
      type: 'tmux';
      /** Pane id (`%N`), never a session or window name. */
      pane: string;
      /** Absolute path of the tmux server socket the pane lives on. */
      socket: string;
      /** Process id of the pane's first process, as seen at join. */
      panePid?: number;
      /** Command name of the coding agent running in the pane, as seen at join (e.g. `claude`). */
      agentCommand?: string;
    }
  | {
      type: 'console';
      /** A process attached to the Windows console to type into. */
      pid: number;
      /** Command name of the coding agent, as seen at join. */
      agentCommand?: string;
    }
  | { type: 'none' };

export interface Session {
  name: string;
  host: string;
  kind: SessionKind;
  wake: WakeTarget;
  joinedAt: string;
}

export interface Host {
  name: string;
  /** Ed25519 public key as a JWK (`kty: OKP`, `crv: Ed25519`). */
  publicKey: Ed25519PublicJwk;
  enrolledAt: string;
  revokedAt: string | null;
}

export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export const CONVERSATION_STATUSES = ['in-progress', 'at-limit', 'converged', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export interface Turn {
  n: number;
  author: string;
  /** Host the turn was posted from, stamped by the relay. */
  host: string;
  at: string;
  body: string;
  next: string[];
  /** Decision text this turn proposes. */
  proposes?: string;
  /** This turn agrees with the proposal made in that turn. */
  agrees?: number;
}

/** A moderation entry shown between turns in the markdown copy. */
export interface Note {
  /** Number of turns that existed when the note was made; it renders after that turn. */
  afterTurn: number;
  by: string;
  at: string;
  text: string;
}

export interface Proposal {
  turn: number;
  by: string;
  text: string;
  agreed: string[];
}

export interface Conversation {
  id: string;
  topic: string;
  openedBy: string;
  openedAt: string;
  participants: string[];
  moderator: string;
  status: ConversationStatus;
  maxTurns: number;
  next: string[];
  turns: Turn[];
  notes: Note[];
  proposal: Proposal | null;
  decision: { text: string; turn: number; at: string; agreedBy: string[] } | null;
  resolution: { text: string; by: string; at: string } | null;
  /** Seq of the last event that changed this conversation. */
  seq: number;
}

export const RECEIPT_STATUSES = ['delivered', 'deferred', 'failed'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** What a host agent reports after trying to wake a session. */
export interface Receipt {
  session: string;
  host: string;
  conversation: string;
  /** The turn number the session was woken to write. */
  turn: number;
  status: ReceiptStatus;
  /** Stable reason code (see docs/PROTOCOL.md), e.g. `copy-mode`, `pane-gone`, `unanswered`. */
  reason?: string;
  /** 1 for the first wake-up, 2+ for nudges. */
  attempt: number;
}

/** Who performs an action: a session of an authenticated host, or the relay admin. */
export type Actor = { kind: 'session'; session: string; host: string } | { kind: 'admin' };

export type ModerationAction =
  | { type: 'next'; next: string[] }
  | { type: 'extend'; by: number }
  | { type: 'add'; session: string }
  | { type: 'remove'; session: string };

// --- events: every change is one of these, with a relay-wide seq ---------------------------------

interface EventBase {
  seq: number;
  at: string;
}

export interface ConversationOpenedEvent extends EventBase {
  type: 'conversation.opened';
  conversation: Conversation;
  /** Idempotency scope `host:key`, so a retried open returns the same conversation. */
  key: string;
}

export interface TurnPostedEvent extends EventBase {
  type: 'turn.posted';
  conversation: string;
  turn: Turn;
  status: ConversationStatus;
  next: string[];
  proposal: Proposal | null;
  decision: Conversation['decision'];
  key: string;
}

export interface ConversationModeratedEvent extends EventBase {
  type: 'conversation.moderated';
  conversation: string;
  by: string;
  action: ModerationAction;
  note: string;
  participants: string[];
  next: string[];
  maxTurns: number;
  status: ConversationStatus;
  proposal: Proposal | null;
  decision: Conversation['decision'];
}

export interface ConversationClosedEvent extends EventBase {
  type: 'conversation.closed';
  conversation: string;
  by: string;
  resolution: string;
}

export interface SessionRegisteredEvent extends EventBase {
  type: 'session.registered';
  session: Session;
}

export interface SessionUnregisteredEvent extends EventBase {
  type: 'session.unregistered';
  session: string;
  host: string;
}

export interface HostEnrolledEvent extends EventBase {
  type: 'host.enrolled';
  host: string;
  publicKey: Ed25519PublicJwk;
  invite: string;
}

export interface HostRevokedEvent extends EventBase {
  type: 'host.revoked';
  host: string;
}

export interface InviteCreatedEvent extends EventBase {
  type: 'invite.created';
  /** Public id of the invite; the secret part is stored only as a SHA-256 hash. */
  invite: string;
  hash: string;
  host: string | null;
  expiresAt: string;
}

export interface ReceiptEvent extends EventBase {
  type: 'receipt';
  receipt: Receipt;
}

export type RelayEvent =
  | ConversationOpenedEvent
  | TurnPostedEvent
  | ConversationModeratedEvent
  | ConversationClosedEvent
  | SessionRegisteredEvent
  | SessionUnregisteredEvent
  | HostEnrolledEvent
  | HostRevokedEvent
  | InviteCreatedEvent
  | ReceiptEvent;

export type RelayEventType = RelayEvent['type'];

/** An event before the log assigned its seq. */
export type PendingEvent = RelayEvent extends infer E ? (E extends RelayEvent ? Omit<E, 'seq'> : never) : never;
