// Schemas of the relay's answers (docs/PROTOCOL.md). The relay sits across a trust boundary, so
// every answer is checked before use; fields we do not know are dropped, not refused, so a newer
// relay that adds a field still works. Built on first use, like core's schemas: a CLI call
// checks one or two answers and should not pay for building all of them.
import { z } from 'zod';
import { ConversationSchema, NameSchema, RelayEventSchema, SessionKindSchema, TurnSchema } from '@crosstalk/core';

function build() {
  const Iso = z.string().max(40);
  const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
  const Id = z.string().min(1).max(64);
  const Names = z.array(NameSchema).max(1000);
  const Status = z.enum(['in-progress', 'at-limit', 'converged', 'closed']);

  const HealthSchema = z.object({
    ok: z.boolean(),
    relayId: Id,
    epoch: Id,
    protocol: z.number().int(),
    version: z.string().max(100),
    head: Seq,
    time: Iso,
  });

  const EnrollAnswerSchema = z.object({ relayId: Id, epoch: Id, protocol: z.number().int(), host: NameSchema });

  const InviteAnswerSchema = z.object({ invite: z.string().min(1).max(200), id: z.string().max(64), host: NameSchema.nullable(), expiresAt: Iso });

  const HostInfoSchema = z.object({
    name: NameSchema,
    enrolledAt: Iso,
    revokedAt: Iso.nullable(),
    connected: z.boolean(),
    cursor: Seq.nullable(),
    lastSeenAt: Iso.nullable(),
  });
  const HostsAnswerSchema = z.object({ hosts: z.array(HostInfoSchema).max(100_000) });
  const RevokeAnswerSchema = z.object({ host: z.unknown() });

  const SessionInfoSchema = z.object({
    name: NameSchema,
    host: NameSchema,
    kind: SessionKindSchema,
    wake: z.object({ type: z.enum(['tmux', 'console', 'none']) }),
    joinedAt: Iso,
    online: z.boolean().optional(),
  });
  const SessionsAnswerSchema = z.object({ sessions: z.array(SessionInfoSchema).max(100_000) });
  const SessionAnswerSchema = z.object({ session: SessionInfoSchema });

  const SummarySchema = z.object({
    id: NameSchema,
    topic: z.string().max(1000),
    status: Status,
    participants: Names,
    moderator: NameSchema,
    next: Names,
    turns: z.number().int().min(0),
    maxTurns: z.number().int().min(1),
    openedBy: NameSchema,
    openedAt: Iso,
    seq: Seq,
    updatedAt: Iso,
  });
  const ConversationsAnswerSchema = z.object({ conversations: z.array(SummarySchema).max(1_000_000) });



  const PostAnswerSchema = z.object({ conversation: SummarySchema, turn: TurnSchema, seq: Seq, duplicate: z.boolean() });
  const ConversationAnswerSchema = z.object({ conversation: ConversationSchema });
  const ModerateAnswerSchema = z.object({ conversation: SummarySchema, seq: Seq });

  const ReceiptRecordSchema = z.object({
    session: NameSchema,
    host: NameSchema.optional(),
    conversation: NameSchema,
    turn: z.number().int().min(1),
    status: z.enum(['delivered', 'deferred', 'failed']),
    reason: z.string().max(400).optional(),
    attempt: z.number().int().min(1),
    seq: Seq,
    at: Iso,
  });
  const ReceiptsAnswerSchema = z.object({ receipts: z.array(ReceiptRecordSchema).max(10_000) });
  const ReceiptAnswerSchema = z.object({ seq: Seq });

  const EventsAnswerSchema = z.object({ events: z.array(RelayEventSchema).max(10_000), head: Seq });
  return { HealthSchema, EnrollAnswerSchema, InviteAnswerSchema, HostInfoSchema, HostsAnswerSchema, RevokeAnswerSchema, SessionInfoSchema, SessionsAnswerSchema, SessionAnswerSchema, SummarySchema, ConversationsAnswerSchema, PostAnswerSchema, ConversationAnswerSchema, ModerateAnswerSchema, ReceiptRecordSchema, ReceiptsAnswerSchema, ReceiptAnswerSchema, EventsAnswerSchema };
}

let built: ReturnType<typeof build> | undefined;
const schemas = (): ReturnType<typeof build> => (built ??= build());

export const HealthSchema = z.lazy(() => schemas().HealthSchema);
export const EnrollAnswerSchema = z.lazy(() => schemas().EnrollAnswerSchema);
export const InviteAnswerSchema = z.lazy(() => schemas().InviteAnswerSchema);
export const HostInfoSchema = z.lazy(() => schemas().HostInfoSchema);
export const HostsAnswerSchema = z.lazy(() => schemas().HostsAnswerSchema);
export const RevokeAnswerSchema = z.lazy(() => schemas().RevokeAnswerSchema);
export const SessionInfoSchema = z.lazy(() => schemas().SessionInfoSchema);
export const SessionsAnswerSchema = z.lazy(() => schemas().SessionsAnswerSchema);
export const SessionAnswerSchema = z.lazy(() => schemas().SessionAnswerSchema);
export const SummarySchema = z.lazy(() => schemas().SummarySchema);
export const ConversationsAnswerSchema = z.lazy(() => schemas().ConversationsAnswerSchema);
export const PostAnswerSchema = z.lazy(() => schemas().PostAnswerSchema);
export const ConversationAnswerSchema = z.lazy(() => schemas().ConversationAnswerSchema);
export const ModerateAnswerSchema = z.lazy(() => schemas().ModerateAnswerSchema);
export const ReceiptRecordSchema = z.lazy(() => schemas().ReceiptRecordSchema);
export const ReceiptsAnswerSchema = z.lazy(() => schemas().ReceiptsAnswerSchema);
export const ReceiptAnswerSchema = z.lazy(() => schemas().ReceiptAnswerSchema);
export const EventsAnswerSchema = z.lazy(() => schemas().EventsAnswerSchema);

export type Health = z.infer<typeof HealthSchema>;
export type EnrollAnswer = z.infer<typeof EnrollAnswerSchema>;
export type InviteAnswer = z.infer<typeof InviteAnswerSchema>;
export type HostInfo = z.infer<typeof HostInfoSchema>;
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
export type ConversationSummary = z.infer<typeof SummarySchema>;
export type PostAnswer = z.infer<typeof PostAnswerSchema>;
export type ModerateAnswer = z.infer<typeof ModerateAnswerSchema>;
export type ReceiptRecord = z.infer<typeof ReceiptRecordSchema>;
export type EventsAnswer = z.infer<typeof EventsAnswerSchema>;
