// zod schemas for everything that crosses a trust boundary: HTTP bodies, WebSocket messages,
// log records. They mirror types.ts; schemas.test.ts checks they accept what the rules produce.
//
// Each is built on first use (z.lazy), with only the schemas it is made of: building every schema
// costs tens of milliseconds, which every short CLI call would pay although it checks one or two.
import * as z from 'zod';
import { LIMITS } from './limits.js';
import { isValidName } from './names.js';
import { isValidText } from './text.js';
import { CONVERSATION_STATUSES, RECEIPT_STATUSES, SESSION_KINDS } from './types.js';

export const NameSchema = z.string().max(64).refine(isValidName, { message: 'invalid name' });
export const SessionKindSchema = z.enum(SESSION_KINDS);

/** Builds a schema the first time it is asked for, then hands out the same one. */
export function schemaOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

const Text = (maxChars: number) => z.string().max(maxChars).refine(isValidText, { message: 'invalid text' });
const seq = schemaOnce(() => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));
const turnNumber = schemaOnce(() => z.number().int().min(1).max(1_000_000));
const iso = schemaOnce(() => z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/));
const nameList = schemaOnce(() => z.array(NameSchema).max(LIMITS.participants));
const idempotencyKey = schemaOnce(() => z.string().min(1).max(LIMITS.idempotencyKeyChars).regex(/^[\x21-\x7e]+$/));
// Bodies are bounded in bytes by the rules; this character bound is only a cheap first gate.
const bodyText = schemaOnce(() => Text(LIMITS.bodyBytes));

const ed25519PublicJwk = schemaOnce(() => z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
}));

const wakeTarget = schemaOnce(() => z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('tmux'),
    pane: z.string().regex(/^%\d{1,9}$/),
    socket: z.string().min(1).max(1024).refine(isValidText),
    panePid: z.number().int().positive().max(2 ** 31).optional(),
    agentCommand: z.string().max(64).regex(/^[A-Za-z0-9._+-]+$/).optional(),
  }),
  z.strictObject({
    type: z.literal('console'),
    pid: z.number().int().positive().max(2 ** 32),
    agentCommand: z.string().max(64).regex(/^[A-Za-z0-9._+-]+$/).optional(),
  }),
  z.strictObject({ type: z.literal('none') }),
]));


// --- HTTP request bodies ------------------------------------------------------------------------

const enrollRequest = schemaOnce(() => z.strictObject({
  invite: z.string().min(1).max(200),
  host: NameSchema,
  publicKey: ed25519PublicJwk(),
}));

const inviteRequest = schemaOnce(() => z.strictObject({
  host: NameSchema.optional(),
  /** Seconds until the invite expires: one minute to thirty days; default one hour. */
  expiresIn: z.number().int().min(60).max(30 * 24 * 3600).optional(),
}));

const registerSessionRequest = schemaOnce(() => z.strictObject({
  name: NameSchema,
  kind: SessionKindSchema,
  wake: wakeTarget(),
}));

const openRequest = schemaOnce(() => z.strictObject({
  as: NameSchema,
  topic: Text(LIMITS.topicChars * 2),
  with: nameList().min(1),
  moderator: NameSchema.optional(),
  maxTurns: z.number().int().min(1).max(LIMITS.maxTurnsCeiling).optional(),
  body: bodyText(),
  next: nameList().optional(),
  idempotencyKey: idempotencyKey(),
}));

const postRequest = schemaOnce(() => z.strictObject({
  as: NameSchema,
  expectedTurn: turnNumber(),
  idempotencyKey: idempotencyKey(),
  body: bodyText(),
  next: nameList().optional(),
  propose: Text(LIMITS.resolutionBytes).optional(),
  agree: z.boolean().optional(),
}));

const moderationAction = schemaOnce(() => z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('next'), next: nameList().min(1) }),
  z.strictObject({ type: z.literal('extend'), by: z.number().int().min(1).max(LIMITS.maxTurnsCeiling) }),
  z.strictObject({ type: z.literal('add'), session: NameSchema }),
  z.strictObject({ type: z.literal('remove'), session: NameSchema }),
]));

const moderateRequest = schemaOnce(() => z.strictObject({
  /** The moderator session; omitted when the request carries the admin key. */
  as: NameSchema.optional(),
  action: moderationAction(),
}));

const closeRequest = schemaOnce(() => z.strictObject({
  as: NameSchema.optional(),
  resolution: Text(LIMITS.resolutionBytes),
}));

const receiptBody = schemaOnce(() => z.strictObject({
  session: NameSchema,
  conversation: NameSchema,
  turn: turnNumber(),
  status: z.enum(RECEIPT_STATUSES),
  reason: z.string().max(LIMITS.reasonChars).regex(/^[a-z0-9-]+(?:: [\x20-\x7e]*)?$/).optional(),
  attempt: z.number().int().min(1).max(100),
}));

// --- events -------------------------------------------------------------------------------------

const turn = schemaOnce(() => z.strictObject({
  n: turnNumber(),
  author: NameSchema,
  host: NameSchema,
  at: iso(),
  body: bodyText(),
  next: nameList(),
  proposes: Text(LIMITS.resolutionBytes).optional(),
  agrees: turnNumber().optional(),
}));

const proposal = schemaOnce(() => z.strictObject({ turn: turnNumber(), by: NameSchema, text: Text(LIMITS.resolutionBytes), agreed: nameList() }));
const decision = schemaOnce(() => z.strictObject({ text: Text(LIMITS.resolutionBytes), turn: turnNumber(), at: iso(), agreedBy: nameList() }));
const status = schemaOnce(() => z.enum(CONVERSATION_STATUSES));

const conversation = schemaOnce(() => z.strictObject({
  id: NameSchema,
  topic: Text(LIMITS.topicChars * 2),
  openedBy: NameSchema,
  openedAt: iso(),
  participants: nameList(),
  moderator: NameSchema,
  status: status(),
  maxTurns: z.number().int().min(1).max(LIMITS.maxTurnsCeiling),
  next: nameList(),
  turns: z.array(turn()).max(LIMITS.maxTurnsCeiling * 2),
  notes: z.array(z.strictObject({ afterTurn: z.number().int().min(0), by: z.string().max(64), at: iso(), text: Text(1000) })).max(10_000),
  proposal: proposal().nullable(),
  decision: decision().nullable(),
  resolution: z.strictObject({ text: Text(LIMITS.resolutionBytes), by: z.string().max(64), at: iso() }).nullable(),
  seq: seq(),
}));

const base = schemaOnce(() => ({ seq: seq().min(1), at: iso() }));
const actorish = schemaOnce(() => z.string().max(64));

const relayEvent = schemaOnce(() => z.discriminatedUnion('type', [
  z.strictObject({ ...base(), type: z.literal('conversation.opened'), conversation: conversation(), key: z.string().max(200) }),
  z.strictObject({
    ...base(),
    type: z.literal('turn.posted'),
    conversation: NameSchema,
    turn: turn(),
    status: status(),
    next: nameList(),
    proposal: proposal().nullable(),
    decision: decision().nullable(),
    key: z.string().max(200),
  }),
  z.strictObject({
    ...base(),
    type: z.literal('conversation.moderated'),
    conversation: NameSchema,
    by: actorish(),
    action: moderationAction(),
    note: Text(1000),
    participants: nameList(),
    next: nameList(),
    maxTurns: z.number().int().min(1).max(LIMITS.maxTurnsCeiling),
    status: status(),
    proposal: proposal().nullable(),
    decision: decision().nullable(),
  }),
  z.strictObject({ ...base(), type: z.literal('conversation.closed'), conversation: NameSchema, by: actorish(), resolution: Text(LIMITS.resolutionBytes) }),
  z.strictObject({
    ...base(),
    type: z.literal('session.registered'),
    session: z.strictObject({ name: NameSchema, host: NameSchema, kind: SessionKindSchema, wake: wakeTarget(), joinedAt: iso() }),
  }),
  z.strictObject({ ...base(), type: z.literal('session.unregistered'), session: NameSchema, host: NameSchema }),
  z.strictObject({ ...base(), type: z.literal('host.enrolled'), host: NameSchema, publicKey: ed25519PublicJwk(), invite: z.string().max(64) }),
  z.strictObject({ ...base(), type: z.literal('host.revoked'), host: NameSchema }),
  z.strictObject({
    ...base(),
    type: z.literal('invite.created'),
    invite: z.string().max(64),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    host: NameSchema.nullable(),
    expiresAt: iso(),
  }),
  z.strictObject({ ...base(), type: z.literal('receipt'), receipt: receiptBody().extend({ host: NameSchema }) }),
]));

// --- WebSocket messages -------------------------------------------------------------------------

const clientMessage = schemaOnce(() => z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('hello'),
    protocol: z.number().int().min(1).max(1000),
    /** `agent`: the host's one link (replaces an older one); `watch`: a read-only stream (tail, wait). */
    role: z.enum(['agent', 'watch']),
    epoch: z.string().max(64).nullable(),
    cursor: seq(),
  }),
  z.strictObject({ t: z.literal('receipt'), receipt: receiptBody() }),
  z.strictObject({ t: z.literal('presence'), sessions: z.record(NameSchema, z.enum(['online', 'offline'])) }),
  z.strictObject({ t: z.literal('replay'), after: seq() }),
  z.strictObject({ t: z.literal('ack'), seq: seq() }),
]));

const serverMessage = schemaOnce(() => z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('welcome'),
    protocol: z.number().int(),
    relayId: z.string().max(64),
    epoch: z.string().max(64),
    head: seq(),
    /** The client's epoch did not match: it must drop its state and rebuild from seq 0. */
    resync: z.boolean(),
  }),
  z.strictObject({ t: z.literal('events'), events: z.array(relayEvent()).max(10_000) }),
  z.strictObject({ t: z.literal('error'), code: z.string().max(64), message: z.string().max(2000), hint: z.string().max(2000) }),
]));

export const Ed25519PublicJwkSchema = z.lazy(ed25519PublicJwk);
export const WakeTargetSchema = z.lazy(wakeTarget);
export const EnrollRequestSchema = z.lazy(enrollRequest);
export const InviteRequestSchema = z.lazy(inviteRequest);
export const RegisterSessionRequestSchema = z.lazy(registerSessionRequest);
export const OpenRequestSchema = z.lazy(openRequest);
export const PostRequestSchema = z.lazy(postRequest);
export const ModerationActionSchema = z.lazy(moderationAction);
export const ModerateRequestSchema = z.lazy(moderateRequest);
export const CloseRequestSchema = z.lazy(closeRequest);
export const ReceiptBodySchema = z.lazy(receiptBody);
export const ConversationSchema = z.lazy(conversation);
export const RelayEventSchema = z.lazy(relayEvent);
export const ClientMessageSchema = z.lazy(clientMessage);
export const ServerMessageSchema = z.lazy(serverMessage);
/** One turn of a conversation (as in `ConversationSchema`). */
export const TurnSchema = z.lazy(turn);

export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;
export type InviteRequest = z.infer<typeof InviteRequestSchema>;
export type RegisterSessionRequest = z.infer<typeof RegisterSessionRequestSchema>;
export type OpenRequest = z.infer<typeof OpenRequestSchema>;
export type PostRequest = z.infer<typeof PostRequestSchema>;
export type ModerateRequest = z.infer<typeof ModerateRequestSchema>;
export type CloseRequest = z.infer<typeof CloseRequestSchema>;
export type ReceiptBody = z.infer<typeof ReceiptBodySchema>;
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
