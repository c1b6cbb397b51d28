// The relay's answers (docs/PROTOCOL.md), made of the same pieces as the state they show: the
// relay's views are typed by them and a client checks every answer with them. Unknown fields are
// dropped, not refused (z.object, not strictObject), so a newer relay that adds one still works;
// what an answer carries whole (a conversation, a turn, events) is checked as strictly as the log.
import * as z from 'zod';
import { LIMITS } from '../limits.js';
import { conversation, turn } from './conversation.js';
import { relayEvent } from './events.js';
import { conversationStatus, iso, maxTurns, NameSchema, nameList, seq, SessionKindSchema, topicText } from './fields.js';
import { schemaOnce } from './lazy.js';
import { SESSION_STATES } from '../session-state.js';
import { ed25519PublicJwk, receipt, WAKE_TYPES } from './sessions.js';

const relayId = schemaOnce(() => z.string().min(1).max(64));
const protocol = schemaOnce(() => z.number().int());

export const health = schemaOnce(() =>
  z.object({
    ok: z.boolean(),
    relayId: relayId(),
    epoch: relayId(),
    /** The version the relay speaks to the caller: the one it stated, when served. */
    protocol: protocol(),
    /** Every version the relay serves, oldest first (absent before protocol 3). */
    protocols: z.array(protocol()).max(16).optional(),
    version: z.string().max(100),
    head: seq(),
    time: iso(),
  }),
);

export const enrollAnswer = schemaOnce(() => z.object({ relayId: relayId(), epoch: relayId(), protocol: protocol(), host: NameSchema }));

/** `invite` is the secret code to hand over; `id` its public part. */
export const inviteAnswer = schemaOnce(() =>
  z.object({ invite: z.string().min(1).max(200), id: z.string().max(64), host: NameSchema.nullable(), expiresAt: iso() }),
);

/** A host with what the relay sees of it live: its agent link, how far it applied the log. */
export const hostInfo = schemaOnce(() =>
  z.object({
    name: NameSchema,
    enrolledAt: iso(),
    revokedAt: iso().nullable(),
    connected: z.boolean(),
    cursor: seq().nullable(),
    lastSeenAt: iso().nullable(),
  }),
);

/** A session as every host sees it: where its terminal is stays with its own host. */
export const sessionInfo = schemaOnce(() =>
  z.object({
    name: NameSchema,
    host: NameSchema,
    kind: SessionKindSchema,
    wake: z.object({ type: z.enum(WAKE_TYPES) }),
    joinedAt: iso(),
    online: z.boolean().optional(),
    /** What the session is doing, as its host last reported; `unknown` without hooks. */
    state: z.enum(SESSION_STATES).catch('unknown').optional(),
    /** Since when it is in that state. */
    stateSince: iso().optional(),
  }),
);

/** A conversation without its turns and notes; `turns` is their number. */
export const conversationSummary = schemaOnce(() =>
  z.object({
    id: NameSchema,
    topic: topicText(),
    status: conversationStatus(),
    participants: nameList(),
    moderator: NameSchema,
    next: nameList(),
    turns: z
      .number()
      .int()
      .min(0)
      .max(LIMITS.maxTurnsCeiling * 2),
    maxTurns: maxTurns(),
    openedBy: NameSchema,
    openedAt: iso(),
    seq: seq(),
    updatedAt: iso(),
    archived: z.boolean().optional(),
  }),
);

/** A receipt with the seq and time of its event. */
export const receiptRecord = schemaOnce(() => z.object({ ...receipt().shape, seq: seq(), at: iso() }));

export const hostsAnswer = schemaOnce(() => z.object({ hosts: z.array(hostInfo()).max(100_000) }));
export const revokeAnswer = schemaOnce(() => z.object({ host: hostInfo() }));
export const sessionsAnswer = schemaOnce(() => z.object({ sessions: z.array(sessionInfo()).max(100_000) }));
export const sessionAnswer = schemaOnce(() => z.object({ session: sessionInfo() }));
export const conversationsAnswer = schemaOnce(() => z.object({ conversations: z.array(conversationSummary()).max(1_000_000) }));
export const postAnswer = schemaOnce(() => z.object({ conversation: conversationSummary(), turn: turn(), seq: seq(), duplicate: z.boolean() }));
export const conversationAnswer = schemaOnce(() => z.object({ conversation: conversation() }));
export const moderateAnswer = schemaOnce(() => z.object({ conversation: conversationSummary(), seq: seq() }));
export const receiptsAnswer = schemaOnce(() => z.object({ receipts: z.array(receiptRecord()).max(10_000) }));
export const receiptAnswer = schemaOnce(() => z.object({ seq: seq() }));
/** What archiving or deleting a conversation did. */
export const removalAnswer = schemaOnce(() => z.object({ conversation: NameSchema, seq: seq() }));
/** What one compaction did (`crosstalk relay compact`). */
export const compactResult = schemaOnce(() =>
  z.object({
    file: z.string().max(4096),
    bytesBefore: z.number().int().min(0),
    bytesAfter: z.number().int().min(0),
    records: z.number().int().min(0),
    purged: z.number().int().min(0),
    conversations: z.number().int().min(0),
    newEpoch: relayId().nullable(),
    ms: z.number().min(0),
  }),
);
/** `POST /v1/admin/compact`: whether the relay restarts to compact, and the epoch it had. */
export const compactAnswer = schemaOnce(() => z.object({ scheduled: z.boolean(), reason: z.string().max(300), epoch: relayId() }));
/** `GET /v1/admin/compaction`: one under way, and the last one's outcome. */
export const compactionStatusAnswer = schemaOnce(() =>
  z.object({
    running: z.boolean(),
    last: z.object({ at: iso(), result: compactResult().nullable(), error: z.string().max(2000).nullable() }).nullable(),
    epoch: relayId(),
  }),
);
export const eventsAnswer = schemaOnce(() => z.object({ events: z.array(relayEvent()).max(10_000), head: seq() }));

/** A key rotation: the new public key, until when the previous one is still accepted, and the event's seq. */
export const keyRotatedAnswer = schemaOnce(() => z.object({ publicKey: ed25519PublicJwk(), previousUntil: iso(), seq: seq() }));

export const HealthSchema = z.lazy(health);
export const EnrollAnswerSchema = z.lazy(enrollAnswer);
export const InviteAnswerSchema = z.lazy(inviteAnswer);
export const HostsAnswerSchema = z.lazy(hostsAnswer);
export const RevokeAnswerSchema = z.lazy(revokeAnswer);
export const SessionsAnswerSchema = z.lazy(sessionsAnswer);
export const SessionAnswerSchema = z.lazy(sessionAnswer);
export const ConversationsAnswerSchema = z.lazy(conversationsAnswer);
export const PostAnswerSchema = z.lazy(postAnswer);
export const ConversationAnswerSchema = z.lazy(conversationAnswer);
export const ModerateAnswerSchema = z.lazy(moderateAnswer);
export const ReceiptsAnswerSchema = z.lazy(receiptsAnswer);
export const ReceiptAnswerSchema = z.lazy(receiptAnswer);
export const EventsAnswerSchema = z.lazy(eventsAnswer);
export const KeyRotatedAnswerSchema = z.lazy(keyRotatedAnswer);
export const RemovalAnswerSchema = z.lazy(removalAnswer);
export const CompactAnswerSchema = z.lazy(compactAnswer);
export const CompactionStatusAnswerSchema = z.lazy(compactionStatusAnswer);
