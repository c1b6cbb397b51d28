// The names of the domain model shared by relay, agent and CLI. A wire or log shape is written
// once, as a zod schema in schemas/, and its type here is what that schema yields: a field added
// to a schema is in the type, and no value needs a cast to pass from one to the other.
import type { Parsed } from './schemas/lazy.js';
import type * as answers from './schemas/answers.js';
import type * as conversation from './schemas/conversation.js';
import type * as events from './schemas/events.js';
import type * as fields from './schemas/fields.js';
import type * as messages from './schemas/messages.js';
import type * as requests from './schemas/requests.js';
import type * as sessions from './schemas/sessions.js';

export type SessionKind = (typeof fields.SESSION_KINDS)[number];
export type ConversationStatus = (typeof fields.CONVERSATION_STATUSES)[number];
export type ReceiptStatus = (typeof fields.RECEIPT_STATUSES)[number];

export type Ed25519PublicJwk = Parsed<typeof sessions.ed25519PublicJwk>;
/** Where a session's terminal is, so its host agent can type a wake-up into it. */
export type WakeTarget = Parsed<typeof sessions.wakeTarget>;
export type Session = Parsed<typeof sessions.session>;
/** What a host agent reports after trying to wake a session. */
export type Receipt = Parsed<typeof sessions.receipt>;

export type Turn = Parsed<typeof conversation.turn>;
/** A moderation entry shown between turns in the markdown copy. */
export type Note = Parsed<typeof conversation.note>;
export type Proposal = Parsed<typeof conversation.proposal>;
export type Conversation = Parsed<typeof conversation.conversation>;
export type ModerationAction = Parsed<typeof conversation.moderationAction>;

// --- events: every change is one of these, with a relay-wide seq ---------------------------------

export type ConversationOpenedEvent = Parsed<typeof events.conversationOpened>;
export type TurnPostedEvent = Parsed<typeof events.turnPosted>;
export type ConversationModeratedEvent = Parsed<typeof events.conversationModerated>;
export type ConversationClosedEvent = Parsed<typeof events.conversationClosed>;
export type SessionRegisteredEvent = Parsed<typeof events.sessionRegistered>;
export type SessionUnregisteredEvent = Parsed<typeof events.sessionUnregistered>;
export type HostEnrolledEvent = Parsed<typeof events.hostEnrolled>;
export type HostRevokedEvent = Parsed<typeof events.hostRevoked>;
export type InviteCreatedEvent = Parsed<typeof events.inviteCreated>;
export type ReceiptEvent = Parsed<typeof events.receiptReported>;
export type WithheldEvent = Parsed<typeof events.eventWithheld>;
export type HostKeyRotatedEvent = Parsed<typeof events.hostKeyRotated>;
export type AdminKeyRotatedEvent = Parsed<typeof events.adminKeyRotated>;
export type ConversationArchivedEvent = Parsed<typeof events.conversationArchived>;
export type ConversationDeletedEvent = Parsed<typeof events.conversationDeleted>;
export type ConversationPurgedEvent = Parsed<typeof events.conversationPurged>;
export type RelayEvent = Parsed<typeof events.relayEvent>;
export type RelayEventType = RelayEvent['type'];

/** An event before the log assigned its seq. */
export type PendingEvent = RelayEvent extends infer E ? (E extends RelayEvent ? Omit<E, 'seq'> : never) : never;

// --- HTTP request bodies and answers, WebSocket messages -------------------------------------------

export type EnrollRequest = Parsed<typeof requests.enrollRequest>;
export type InviteRequest = Parsed<typeof requests.inviteRequest>;
export type RegisterSessionRequest = Parsed<typeof requests.registerSessionRequest>;
export type OpenRequest = Parsed<typeof requests.openRequest>;
export type PostRequest = Parsed<typeof requests.postRequest>;
export type ModerateRequest = Parsed<typeof requests.moderateRequest>;
export type CloseRequest = Parsed<typeof requests.closeRequest>;
export type RemovalRequest = Parsed<typeof requests.removalRequest>;
export type ReceiptBody = Parsed<typeof sessions.receiptBody>;
export type RotateKeyRequest = Parsed<typeof requests.rotateKeyRequest>;

export type Health = Parsed<typeof answers.health>;
export type EnrollAnswer = Parsed<typeof answers.enrollAnswer>;
export type InviteAnswer = Parsed<typeof answers.inviteAnswer>;
export type HostInfo = Parsed<typeof answers.hostInfo>;
export type HostsAnswer = Parsed<typeof answers.hostsAnswer>;
export type RevokeAnswer = Parsed<typeof answers.revokeAnswer>;
export type KeyRotatedAnswer = Parsed<typeof answers.keyRotatedAnswer>;
/** A session as every host sees it (`GET /v1/sessions`). */
export type SessionInfo = Parsed<typeof answers.sessionInfo>;
export type SessionsAnswer = Parsed<typeof answers.sessionsAnswer>;
export type SessionAnswer = Parsed<typeof answers.sessionAnswer>;
export type ConversationSummary = Parsed<typeof answers.conversationSummary>;
export type ConversationsAnswer = Parsed<typeof answers.conversationsAnswer>;
export type ConversationAnswer = Parsed<typeof answers.conversationAnswer>;
/** The answer to an open or a post: the summary after it, the turn, and whether it was a repeat. */
export type PostAnswer = Parsed<typeof answers.postAnswer>;
/** The answer to a moderation or a close. */
export type ModerateAnswer = Parsed<typeof answers.moderateAnswer>;
export type ReceiptRecord = Parsed<typeof answers.receiptRecord>;
export type ReceiptsAnswer = Parsed<typeof answers.receiptsAnswer>;
export type ReceiptAnswer = Parsed<typeof answers.receiptAnswer>;
export type EventsAnswer = Parsed<typeof answers.eventsAnswer>;
/** The answer to an archive or a delete. */
export type RemovalAnswer = Parsed<typeof answers.removalAnswer>;
export type CompactAnswer = Parsed<typeof answers.compactAnswer>;
export type CompactionStatusAnswer = Parsed<typeof answers.compactionStatusAnswer>;

export type ClientMessage = Parsed<typeof messages.clientMessage>;
export type ServerMessage = Parsed<typeof messages.serverMessage>;

// --- not on the wire ----------------------------------------------------------------------------

/** An enrolled host as the relay's state holds it (answers show it as `HostInfo`). */
export interface Host {
  name: string;
  publicKey: Ed25519PublicJwk;
  enrolledAt: string;
  revokedAt: string | null;
  /** After a key rotation: the key it replaced, still accepted until `until` (ISO time). */
  previousKey?: { publicKey: Ed25519PublicJwk; until: string } | undefined;
}

/** Who performs an action: a session of an authenticated host, or the relay admin. */
export type Actor = { kind: 'session'; session: string; host: string } | { kind: 'admin' };
