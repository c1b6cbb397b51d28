// zod schemas for everything that crosses a trust boundary: HTTP bodies and answers, WebSocket
// messages, log records. They are the one definition of each shape: types.ts derives the types
// from them. The builders stay inside core; what leaves it is the lazy `…Schema` constants.
export { schemaOnce, type Parsed, type Schema } from './lazy.js';
export {
  CONVERSATION_STATUSES,
  isConversationStatus,
  isRelayTime,
  isSessionKind,
  NameSchema,
  RECEIPT_STATUSES,
  SESSION_KINDS,
  SessionKindSchema,
} from './fields.js';
export { Ed25519PublicJwkSchema, ReceiptBodySchema, SessionSchema, WAKE_TYPES, WakeTargetSchema } from './sessions.js';
export { ConversationSchema, ModerationActionSchema, TurnSchema } from './conversation.js';
export { RelayEventSchema } from './events.js';
export {
  CloseRequestSchema,
  EnrollRequestSchema,
  InviteRequestSchema,
  ModerateRequestSchema,
  OpenRequestSchema,
  PostRequestSchema,
  RegisterSessionRequestSchema,
  RotateKeyRequestSchema,
  RemovalRequestSchema,
} from './requests.js';
export { ClientMessageSchema, LINK_POST_OPS, type LinkPostOp, PEEK_LIMITS, ServerMessageSchema } from './messages.js';
export {
  CompactAnswerSchema,
  CompactionStatusAnswerSchema,
  ConversationAnswerSchema,
  ConversationsAnswerSchema,
  EnrollAnswerSchema,
  EventsAnswerSchema,
  HealthSchema,
  HostsAnswerSchema,
  InviteAnswerSchema,
  KeyRotatedAnswerSchema,
  ModerateAnswerSchema,
  PostAnswerSchema,
  ReceiptAnswerSchema,
  ReceiptsAnswerSchema,
  RemovalAnswerSchema,
  RevokeAnswerSchema,
  SessionAnswerSchema,
  SessionsAnswerSchema,
} from './answers.js';
export {
  isSpawnAuditEvent,
  KillRequestSchema,
  KillResultBodySchema,
  PeekAnswerSchema,
  PeekRequestSchema,
  RequestAnswerSchema,
  SPAWN_AUDIT_TYPES,
  SpawnRequestSchema,
  SpawnResultBodySchema,
  type KillRequest,
  type KillRequestedEvent,
  type KillResultBody,
  type KillResultedEvent,
  type PeekAnswer,
  type PeekRequest,
  type RequestAnswer,
  type SpawnAuditEvent,
  type SpawnRequest,
  type SpawnRequestedEvent,
  type SpawnResultBody,
  type SpawnResultedEvent,
} from './spawn.js';
