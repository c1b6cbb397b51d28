// Events: every change is one of these, with a relay-wide seq. They carry their results (new
// status, next, …), so applying one never re-decides a rule.
import * as z from 'zod';
import { conversation, decision, moderationAction, proposal, turn } from './conversation.js';
import { LIMITS } from '../limits.js';
import { actorName, conversationStatus, decisionText, iso, maxTurns, NameSchema, nameList, SessionKindSchema, seq, text } from './fields.js';
import { schemaOnce } from './lazy.js';
import { ed25519PublicJwk, receipt, session } from './sessions.js';

const base = () => ({ seq: seq().min(1), at: iso() });
/** Idempotency scope `host:key`, so a retried open or post returns the original. */
const scopedKey = schemaOnce(() => z.string().max(200));

export const conversationOpened = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('conversation.opened'),
    conversation: conversation(),
    key: scopedKey(),
  }),
);

export const turnPosted = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('turn.posted'),
    conversation: NameSchema,
    turn: turn(),
    status: conversationStatus(),
    next: nameList(),
    proposal: proposal().nullable(),
    decision: decision().nullable(),
    key: scopedKey(),
  }),
);

export const conversationModerated = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('conversation.moderated'),
    conversation: NameSchema,
    by: actorName(),
    action: moderationAction(),
    note: text(1000),
    participants: nameList(),
    next: nameList(),
    maxTurns: maxTurns(),
    status: conversationStatus(),
    proposal: proposal().nullable(),
    decision: decision().nullable(),
  }),
);

export const conversationClosed = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('conversation.closed'),
    conversation: NameSchema,
    by: actorName(),
    resolution: decisionText(),
  }),
);

export const sessionRegistered = schemaOnce(() => z.strictObject({ ...base(), type: z.literal('session.registered'), session: session() }));
export const sessionUnregistered = schemaOnce(() =>
  z.strictObject({ ...base(), type: z.literal('session.unregistered'), session: NameSchema, host: NameSchema }),
);

export const hostEnrolled = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('host.enrolled'),
    host: NameSchema,
    publicKey: ed25519PublicJwk(),
    invite: z.string().max(64),
  }),
);

export const hostRevoked = schemaOnce(() => z.strictObject({ ...base(), type: z.literal('host.revoked'), host: NameSchema }));

export const inviteCreated = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('invite.created'),
    /** Public id of the invite; the secret part is stored only as a SHA-256 hash. */
    invite: z.string().max(64),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    host: NameSchema.nullable(),
    expiresAt: iso(),
  }),
);

export const receiptReported = schemaOnce(() => z.strictObject({ ...base(), type: z.literal('receipt'), receipt: receipt() }));

// --- protocol 3: versions and key rotation ---------------------------------------------------------

/**
 * Never in the log: what the relay sends a peer in place of an event of a kind newer than the
 * peer's protocol (see versions.ts), so the peer keeps its place in the seq order.
 */
export const eventWithheld = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('withheld'),
    /** The kind of the event withheld (not checked against any list: it is newer than the reader). */
    kind: z
      .string()
      .max(64)
      .regex(/^[a-z0-9.-]+$/),
  }),
);

/** A host replaced its key; the previous one is still accepted until `previousUntil`. */
export const hostKeyRotated = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('host.key-rotated'),
    host: NameSchema,
    publicKey: ed25519PublicJwk(),
    previousKey: ed25519PublicJwk(),
    previousUntil: iso(),
  }),
);

/** The relay's admin key was replaced; the previous one is still accepted until `previousUntil`. */
export const adminKeyRotated = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('admin.key-rotated'),
    publicKey: ed25519PublicJwk(),
    previousKey: ed25519PublicJwk(),
    previousUntil: iso(),
  }),
);
// --- archive, delete, compaction -------------------------------------------------------------
/** The conversation is archived: hidden from listings by default, its copies kept apart. */
export const conversationArchived = schemaOnce(() =>
  z.strictObject({ ...base(), type: z.literal('conversation.archived'), conversation: NameSchema, by: actorName() }),
);

/**
 * The tombstone: the conversation is deleted. Its earlier events stay in the log until compaction
 * replaces them with `conversation.purged`; meanwhile the relay serves them as such.
 */
export const conversationDeleted = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('conversation.deleted'),
    conversation: NameSchema,
    by: actorName(),
    /** `request`: an admin or moderator asked; `retention`: the relay's retention setting. */
    reason: z.enum(['request', 'retention']),
  }),
);

/** What stands at the seq of an event of a deleted conversation once its content is gone. */
export const conversationPurged = schemaOnce(() => z.strictObject({ ...base(), type: z.literal('conversation.purged'), conversation: NameSchema }));

// --- spawn and kill: requests and what the target host did about them (docs/SPAWN.md) ------------

/** A spawn or kill request's id: made by the relay, unique in its log. */
export const requestId = schemaOnce(() => z.string().regex(/^[0-9a-f]{16,32}$/));
/** What a host's policy or its terminal said about a request: a rule of SPAWN_RULES or a failure reason. */
const outcomeReason = schemaOnce(() =>
  z
    .string()
    .max(64)
    .regex(/^[a-z0-9-]*$/),
);
const pathText = schemaOnce(() => text(4096));

export const spawnRequested = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('spawn.requested'),
    id: requestId(),
    /** Who asked: the host the credential belongs to, or `admin`; stamped by the relay. */
    by: actorName(),
    /** The host asked to start the coding agent. */
    host: NameSchema,
    kind: SessionKindSchema,
    session: NameSchema,
    cwd: pathText(),
    prompt: text(LIMITS.bodyBytes).nullable(),
    model: text(200).nullable(),
  }),
);

export const spawnResulted = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('spawn.resulted'),
    id: requestId(),
    /** The host that reports it, stamped by the relay: only the asked host's report counts. */
    host: NameSchema,
    session: NameSchema,
    outcome: z.enum(['started', 'refused', 'failed']),
    /** The rule that refused it, or why it failed (`not-ready`, `tmux-error`, …); empty when started. */
    reason: outcomeReason(),
    detail: text(1000),
    /** The directory the coding agent was started in (resolved), when started. */
    cwd: pathText().nullable(),
  }),
);

export const killRequested = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('kill.requested'),
    id: requestId(),
    by: actorName(),
    /** The host the session belongs to. */
    host: NameSchema,
    session: NameSchema,
  }),
);

export const killResulted = schemaOnce(() =>
  z.strictObject({
    ...base(),
    type: z.literal('kill.resulted'),
    id: requestId(),
    host: NameSchema,
    session: NameSchema,
    outcome: z.enum(['killed', 'refused', 'failed']),
    reason: outcomeReason(),
    detail: text(1000),
  }),
);

export const relayEvent = schemaOnce(() =>
  z.discriminatedUnion('type', [
    conversationOpened(),
    turnPosted(),
    conversationModerated(),
    conversationClosed(),
    sessionRegistered(),
    sessionUnregistered(),
    hostEnrolled(),
    hostRevoked(),
    inviteCreated(),
    receiptReported(),
    eventWithheld(),
    hostKeyRotated(),
    adminKeyRotated(),
    spawnRequested(),
    spawnResulted(),
    killRequested(),
    killResulted(),
    conversationArchived(),
    conversationDeleted(),
    conversationPurged(),
  ]),
);

export const RelayEventSchema = z.lazy(relayEvent);
