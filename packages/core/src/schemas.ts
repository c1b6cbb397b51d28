// zod schemas for everything that crosses a trust boundary: HTTP bodies, WebSocket messages,
// log records. They mirror types.ts; schemas.test.ts checks they accept what the rules produce.
//
// Most are built on first use (z.lazy): building every schema costs tens of milliseconds, which
// every short CLI call would pay although it checks only one or two answers.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { isValidName } from './names.js';
import { isValidText } from './text.js';
import { CONVERSATION_STATUSES, RECEIPT_STATUSES, SESSION_KINDS } from './types.js';

export const NameSchema = z.string().max(64).refine(isValidName, { message: 'invalid name' });
export const SessionKindSchema = z.enum(SESSION_KINDS);

function build() {
  const Text = (maxChars: number) => z.string().max(maxChars).refine(isValidText, { message: 'invalid text' });
  const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
  const TurnNumber = z.number().int().min(1).max(1_000_000);
  const Iso = z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/);
  const NameList = z.array(NameSchema).max(LIMITS.participants);
  const IdempotencyKey = z.string().min(1).max(LIMITS.idempotencyKeyChars).regex(/^[\x21-\x7e]+$/);
  // Bodies are bounded in bytes by the rules; this character bound is only a cheap first gate.
  const BodyText = Text(LIMITS.bodyBytes);

  const Ed25519PublicJwkSchema = z.strictObject({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  });

  const WakeTargetSchema = z.discriminatedUnion('type', [
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
  ]);


  // --- HTTP request bodies ------------------------------------------------------------------------

  const EnrollRequestSchema = z.strictObject({
    invite: z.string().min(1).max(200),
    host: NameSchema,
    publicKey: Ed25519PublicJwkSchema,
  });

  const InviteRequestSchema = z.strictObject({
    host: NameSchema.optional(),
    /** Seconds until the invite expires: one minute to thirty days; default one hour. */
    expiresIn: z.number().int().min(60).max(30 * 24 * 3600).optional(),
  });

  const RegisterSessionRequestSchema = z.strictObject({
    name: NameSchema,
    kind: SessionKindSchema,
    wake: WakeTargetSchema,
  });

  const OpenRequestSchema = z.strictObject({
    as: NameSchema,
    topic: Text(LIMITS.topicChars * 2),
    with: NameList.min(1),
    moderator: NameSchema.optional(),
    maxTurns: z.number().int().min(1).max(LIMITS.maxTurnsCeiling).optional(),
    body: BodyText,
    next: NameList.optional(),
    idempotencyKey: IdempotencyKey,
  });

  const PostRequestSchema = z.strictObject({
    as: NameSchema,
    expectedTurn: TurnNumber,
    idempotencyKey: IdempotencyKey,
    body: BodyText,
    next: NameList.optional(),
    propose: Text(LIMITS.resolutionBytes).optional(),
    agree: z.boolean().optional(),
  });

  const ModerationActionSchema = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('next'), next: NameList.min(1) }),
    z.strictObject({ type: z.literal('extend'), by: z.number().int().min(1).max(LIMITS.maxTurnsCeiling) }),
    z.strictObject({ type: z.literal('add'), session: NameSchema }),
    z.strictObject({ type: z.literal('remove'), session: NameSchema }),
  ]);

  const ModerateRequestSchema = z.strictObject({
    /** The moderator session; omitted when the request carries the admin key. */
    as: NameSchema.optional(),
    action: ModerationActionSchema,
  });

  const CloseRequestSchema = z.strictObject({
    as: NameSchema.optional(),
    resolution: Text(LIMITS.resolutionBytes),
  });

  const ReceiptBodySchema = z.strictObject({
    session: NameSchema,
    conversation: NameSchema,
    turn: TurnNumber,
    status: z.enum(RECEIPT_STATUSES),
    reason: z.string().max(LIMITS.reasonChars).regex(/^[a-z0-9-]+(?:: [\x20-\x7e]*)?$/).optional(),
    attempt: z.number().int().min(1).max(100),
  });

  // --- events -------------------------------------------------------------------------------------

  const TurnSchema = z.strictObject({
    n: TurnNumber,
    author: NameSchema,
    host: NameSchema,
    at: Iso,
    body: BodyText,
    next: NameList,
    proposes: Text(LIMITS.resolutionBytes).optional(),
    agrees: TurnNumber.optional(),
  });

  const ProposalSchema = z.strictObject({ turn: TurnNumber, by: NameSchema, text: Text(LIMITS.resolutionBytes), agreed: NameList });
  const DecisionSchema = z.strictObject({ text: Text(LIMITS.resolutionBytes), turn: TurnNumber, at: Iso, agreedBy: NameList });
  const StatusSchema = z.enum(CONVERSATION_STATUSES);

  const ConversationSchema = z.strictObject({
    id: NameSchema,
    topic: Text(LIMITS.topicChars * 2),
    openedBy: NameSchema,
    openedAt: Iso,
    participants: NameList,
    moderator: NameSchema,
    status: StatusSchema,
    maxTurns: z.number().int().min(1).max(LIMITS.maxTurnsCeiling),
    next: NameList,
    turns: z.array(TurnSchema).max(LIMITS.maxTurnsCeiling * 2),
    notes: z.array(z.strictObject({ afterTurn: z.number().int().min(0), by: z.string().max(64), at: Iso, text: Text(1000) })).max(10_000),
    proposal: ProposalSchema.nullable(),
    decision: DecisionSchema.nullable(),
    resolution: z.strictObject({ text: Text(LIMITS.resolutionBytes), by: z.string().max(64), at: Iso }).nullable(),
    seq: Seq,
  });

  const base = { seq: Seq.min(1), at: Iso };
  const Actorish = z.string().max(64);

  const RelayEventSchema = z.discriminatedUnion('type', [
    z.strictObject({ ...base, type: z.literal('conversation.opened'), conversation: ConversationSchema, key: z.string().max(200) }),
    z.strictObject({
      ...base,
      type: z.literal('turn.posted'),
      conversation: NameSchema,
      turn: TurnSchema,
      status: StatusSchema,
      next: NameList,
      proposal: ProposalSchema.nullable(),
      decision: DecisionSchema.nullable(),
      key: z.string().max(200),
    }),
    z.strictObject({
      ...base,
      type: z.literal('conversation.moderated'),
      conversation: NameSchema,
      by: Actorish,
      action: ModerationActionSchema,
      note: Text(1000),
      participants: NameList,
      next: NameList,
      maxTurns: z.number().int().min(1).max(LIMITS.maxTurnsCeiling),
      status: StatusSchema,
      proposal: ProposalSchema.nullable(),
      decision: DecisionSchema.nullable(),
    }),
    z.strictObject({ ...base, type: z.literal('conversation.closed'), conversation: NameSchema, by: Actorish, resolution: Text(LIMITS.resolutionBytes) }),
    z.strictObject({
      ...base,
      type: z.literal('session.registered'),
      session: z.strictObject({ name: NameSchema, host: NameSchema, kind: SessionKindSchema, wake: WakeTargetSchema, joinedAt: Iso }),
    }),
    z.strictObject({ ...base, type: z.literal('session.unregistered'), session: NameSchema, host: NameSchema }),
    z.strictObject({ ...base, type: z.literal('host.enrolled'), host: NameSchema, publicKey: Ed25519PublicJwkSchema, invite: z.string().max(64) }),
    z.strictObject({ ...base, type: z.literal('host.revoked'), host: NameSchema }),
    z.strictObject({
      ...base,
      type: z.literal('invite.created'),
      invite: z.string().max(64),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      host: NameSchema.nullable(),
      expiresAt: Iso,
    }),
    z.strictObject({ ...base, type: z.literal('receipt'), receipt: ReceiptBodySchema.extend({ host: NameSchema }) }),
  ]);

  // --- WebSocket messages -------------------------------------------------------------------------

  const ClientMessageSchema = z.discriminatedUnion('t', [
    z.strictObject({
      t: z.literal('hello'),
      protocol: z.number().int().min(1).max(1000),
      /** `agent`: the host's one link (replaces an older one); `watch`: a read-only stream (tail, wait). */
      role: z.enum(['agent', 'watch']),
      epoch: z.string().max(64).nullable(),
      cursor: Seq,
    }),
    z.strictObject({ t: z.literal('receipt'), receipt: ReceiptBodySchema }),
    z.strictObject({ t: z.literal('presence'), sessions: z.record(NameSchema, z.enum(['online', 'offline'])) }),
    z.strictObject({ t: z.literal('replay'), after: Seq }),
    z.strictObject({ t: z.literal('ack'), seq: Seq }),
  ]);

  const ServerMessageSchema = z.discriminatedUnion('t', [
    z.strictObject({
      t: z.literal('welcome'),
      protocol: z.number().int(),
      relayId: z.string().max(64),
      epoch: z.string().max(64),
      head: Seq,
      /** The client's epoch did not match: it must drop its state and rebuild from seq 0. */
      resync: z.boolean(),
    }),
    z.strictObject({ t: z.literal('events'), events: z.array(RelayEventSchema).max(10_000) }),
    z.strictObject({ t: z.literal('error'), code: z.string().max(64), message: z.string().max(2000), hint: z.string().max(2000) }),
  ]);
  return { Ed25519PublicJwkSchema, WakeTargetSchema, EnrollRequestSchema, InviteRequestSchema, RegisterSessionRequestSchema, OpenRequestSchema, PostRequestSchema, ModerationActionSchema, ModerateRequestSchema, CloseRequestSchema, ReceiptBodySchema, ConversationSchema, RelayEventSchema, ClientMessageSchema, ServerMessageSchema, TurnSchema };
}

let built: ReturnType<typeof build> | undefined;
const schemas = (): ReturnType<typeof build> => (built ??= build());

export const Ed25519PublicJwkSchema = z.lazy(() => schemas().Ed25519PublicJwkSchema);
export const WakeTargetSchema = z.lazy(() => schemas().WakeTargetSchema);
export const EnrollRequestSchema = z.lazy(() => schemas().EnrollRequestSchema);
export const InviteRequestSchema = z.lazy(() => schemas().InviteRequestSchema);
export const RegisterSessionRequestSchema = z.lazy(() => schemas().RegisterSessionRequestSchema);
export const OpenRequestSchema = z.lazy(() => schemas().OpenRequestSchema);
export const PostRequestSchema = z.lazy(() => schemas().PostRequestSchema);
export const ModerationActionSchema = z.lazy(() => schemas().ModerationActionSchema);
export const ModerateRequestSchema = z.lazy(() => schemas().ModerateRequestSchema);
export const CloseRequestSchema = z.lazy(() => schemas().CloseRequestSchema);
export const ReceiptBodySchema = z.lazy(() => schemas().ReceiptBodySchema);
export const ConversationSchema = z.lazy(() => schemas().ConversationSchema);
export const RelayEventSchema = z.lazy(() => schemas().RelayEventSchema);
export const ClientMessageSchema = z.lazy(() => schemas().ClientMessageSchema);
export const ServerMessageSchema = z.lazy(() => schemas().ServerMessageSchema);
/** One turn of a conversation (as in `ConversationSchema`). */
export const TurnSchema = z.lazy(() => schemas().TurnSchema);

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
