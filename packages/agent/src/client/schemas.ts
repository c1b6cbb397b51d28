// Schemas of the relay's answers (docs/PROTOCOL.md). The relay sits across a trust boundary, so
// every answer is checked before use; fields we do not know are dropped, not refused, so a newer
// relay that adds a field still works. Each is built on first use, like core's schemas: a CLI call
// checks one or two answers and should not pay for building all of them.
import * as z from 'zod';
import { ConversationSchema, NameSchema, RelayEventSchema, schemaOnce, SessionKindSchema, TurnSchema } from '@crosstalk/core';

const iso = schemaOnce(() => z.string().max(40));
const seq = schemaOnce(() => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));
const id = schemaOnce(() => z.string().min(1).max(64));
const names = schemaOnce(() => z.array(NameSchema).max(1000));
const status = schemaOnce(() => z.enum(['in-progress', 'at-limit', 'converged', 'closed']));

const health = schemaOnce(() => z.object({
  ok: z.boolean(),
  relayId: id(),
  epoch: id(),
  protocol: z.number().int(),
  version: z.string().max(100),
  head: seq(),
  time: iso(),
}));

const enrollAnswer = schemaOnce(() => z.object({ relayId: id(), epoch: id(), protocol: z.number().int(), host: NameSchema }));

const inviteAnswer = schemaOnce(() => z.object({ invite: z.string().min(1).max(200), id: z.string().max(64), host: NameSchema.nullable(), expiresAt: iso() }));

const hostInfo = schemaOnce(() => z.object({
  name: NameSchema,
  enrolledAt: iso(),
  revokedAt: iso().nullable(),
  connected: z.boolean(),
  cursor: seq().nullable(),
  lastSeenAt: iso().nullable(),
}));
const hostsAnswer = schemaOnce(() => z.object({ hosts: z.array(hostInfo()).max(100_000) }));
const revokeAnswer = schemaOnce(() => z.object({ host: z.unknown() }));

const sessionInfo = schemaOnce(() => z.object({
  name: NameSchema,
  host: NameSchema,
  kind: SessionKindSchema,
  wake: z.object({ type: z.enum(['tmux', 'console', 'none']) }),
  joinedAt: iso(),
  online: z.boolean().optional(),
}));
const sessionsAnswer = schemaOnce(() => z.object({ sessions: z.array(sessionInfo()).max(100_000) }));
const sessionAnswer = schemaOnce(() => z.object({ session: sessionInfo() }));

const summary = schemaOnce(() => z.object({
  id: NameSchema,
  topic: z.string().max(1000),
  status: status(),
  participants: names(),
  moderator: NameSchema,
  next: names(),
  turns: z.number().int().min(0),
  maxTurns: z.number().int().min(1),
  openedBy: NameSchema,
  openedAt: iso(),
  seq: seq(),
  updatedAt: iso(),
}));
const conversationsAnswer = schemaOnce(() => z.object({ conversations: z.array(summary()).max(1_000_000) }));

const postAnswer = schemaOnce(() => z.object({ conversation: summary(), turn: TurnSchema, seq: seq(), duplicate: z.boolean() }));
const conversationAnswer = schemaOnce(() => z.object({ conversation: ConversationSchema }));
const moderateAnswer = schemaOnce(() => z.object({ conversation: summary(), seq: seq() }));

const receiptRecord = schemaOnce(() => z.object({
  session: NameSchema,
  host: NameSchema.optional(),
  conversation: NameSchema,
  turn: z.number().int().min(1),
  status: z.enum(['delivered', 'deferred', 'failed']),
  reason: z.string().max(400).optional(),
  attempt: z.number().int().min(1),
  seq: seq(),
  at: iso(),
}));
const receiptsAnswer = schemaOnce(() => z.object({ receipts: z.array(receiptRecord()).max(10_000) }));
const receiptAnswer = schemaOnce(() => z.object({ seq: seq() }));

const eventsAnswer = schemaOnce(() => z.object({ events: z.array(RelayEventSchema).max(10_000), head: seq() }));

export const HealthSchema = z.lazy(health);
export const EnrollAnswerSchema = z.lazy(enrollAnswer);
export const InviteAnswerSchema = z.lazy(inviteAnswer);
export const HostInfoSchema = z.lazy(hostInfo);
export const HostsAnswerSchema = z.lazy(hostsAnswer);
export const RevokeAnswerSchema = z.lazy(revokeAnswer);
export const SessionInfoSchema = z.lazy(sessionInfo);
export const SessionsAnswerSchema = z.lazy(sessionsAnswer);
export const SessionAnswerSchema = z.lazy(sessionAnswer);
export const SummarySchema = z.lazy(summary);
export const ConversationsAnswerSchema = z.lazy(conversationsAnswer);
export const PostAnswerSchema = z.lazy(postAnswer);
export const ConversationAnswerSchema = z.lazy(conversationAnswer);
export const ModerateAnswerSchema = z.lazy(moderateAnswer);
export const ReceiptRecordSchema = z.lazy(receiptRecord);
export const ReceiptsAnswerSchema = z.lazy(receiptsAnswer);
export const ReceiptAnswerSchema = z.lazy(receiptAnswer);
export const EventsAnswerSchema = z.lazy(eventsAnswer);

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
