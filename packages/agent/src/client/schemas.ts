// Schemas of the relay's answers (docs/PROTOCOL.md). The relay sits across a trust boundary, so
// every answer is checked before use; fields we do not know are dropped, not refused, so a newer
// relay that adds a field still works.
import { z } from 'zod';
import { ConversationSchema, NameSchema, RelayEventSchema, SessionKindSchema } from '@crosstalk/core';

const Iso = z.string().max(40);
const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Id = z.string().min(1).max(64);
const Names = z.array(NameSchema).max(1000);
const Status = z.enum(['in-progress', 'at-limit', 'converged', 'closed']);

export const HealthSchema = z.object({
  ok: z.boolean(),
  relayId: Id,
  epoch: Id,
  protocol: z.number().int(),
  version: z.string().max(100),
  head: Seq,
  time: Iso,
});

export const EnrollAnswerSchema = z.object({ relayId: Id, epoch: Id, protocol: z.number().int(), host: NameSchema });

export const InviteAnswerSchema = z.object({ invite: z.string().min(1).max(200), id: z.string().max(64), host: NameSchema.nullable(), expiresAt: Iso });

export const HostInfoSchema = z.object({
  name: NameSchema,
  enrolledAt: Iso,
  revokedAt: Iso.nullable(),
  connected: z.boolean(),
  cursor: Seq.nullable(),
  lastSeenAt: Iso.nullable(),
});
export const HostsAnswerSchema = z.object({ hosts: z.array(HostInfoSchema).max(100_000) });
export const RevokeAnswerSchema = z.object({ host: z.unknown() });

export const SessionInfoSchema = z.object({
  name: NameSchema,
  host: NameSchema,
  kind: SessionKindSchema,
  wake: z.object({ type: z.enum(['tmux', 'console', 'none']) }),
  joinedAt: Iso,
  online: z.boolean().optional(),
});
export const SessionsAnswerSchema = z.object({ sessions: z.array(SessionInfoSchema).max(100_000) });
export const SessionAnswerSchema = z.object({ session: SessionInfoSchema });

export const SummarySchema = z.object({
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
export const ConversationsAnswerSchema = z.object({ conversations: z.array(SummarySchema).max(1_000_000) });

const TurnSchema = ConversationSchema.shape.turns.element;

export const PostAnswerSchema = z.object({ conversation: SummarySchema, turn: TurnSchema, seq: Seq, duplicate: z.boolean() });
export const ConversationAnswerSchema = z.object({ conversation: ConversationSchema });
export const ModerateAnswerSchema = z.object({ conversation: SummarySchema, seq: Seq });

export const ReceiptRecordSchema = z.object({
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
export const ReceiptsAnswerSchema = z.object({ receipts: z.array(ReceiptRecordSchema).max(10_000) });
export const ReceiptAnswerSchema = z.object({ seq: Seq });

export const EventsAnswerSchema = z.object({ events: z.array(RelayEventSchema).max(10_000), head: Seq });

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
