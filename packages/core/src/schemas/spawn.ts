// The shapes of spawn, kill and peek requests (docs/SPAWN.md): what a requester sends the relay,
// what the asked host's agent reports back, and what the relay answers. The events they become are
// in events.ts.
import * as z from 'zod';
import { LIMITS } from '../limits.js';
import type * as events from './events.js';
import { killResulted, requestId, spawnResulted } from './events.js';
import { NameSchema, SessionKindSchema, seq, text } from './fields.js';
import { type Parsed, schemaOnce } from './lazy.js';
import { PEEK_LIMITS } from './messages.js';

export const spawnRequest = schemaOnce(() =>
  z.strictObject({
    host: NameSchema,
    kind: SessionKindSchema,
    session: NameSchema,
    cwd: text(4096),
    prompt: text(LIMITS.bodyBytes).nullable().default(null),
    model: text(200).nullable().default(null),
  }),
);

/**
 * An outcome names its request by id and by the seq of the request's event, so the relay can read
 * that event and accept the outcome only from the host it asked (`request` is not recorded).
 */
export const spawnResultBody = schemaOnce(() => spawnResulted().omit({ seq: true, at: true, type: true, host: true }).extend({ request: seq() }).strict());
export const killRequest = schemaOnce(() => z.strictObject({ session: NameSchema }));
export const killResultBody = schemaOnce(() => killResulted().omit({ seq: true, at: true, type: true, host: true }).extend({ request: seq() }).strict());

/** `POST /v1/peeks`: the last lines of a session's terminal, read by its host's agent. */
export const peekRequest = schemaOnce(() => z.strictObject({ session: NameSchema, lines: z.number().int().min(1).max(PEEK_LIMITS.lines).default(40) }));
export const peekAnswer = schemaOnce(() =>
  z.strictObject({ session: NameSchema, host: NameSchema, lines: z.array(z.string().max(PEEK_LIMITS.lineChars)).max(PEEK_LIMITS.lines) }),
);
export const PeekRequestSchema = z.lazy(peekRequest);
export const PeekAnswerSchema = z.lazy(peekAnswer);
export type PeekRequest = Parsed<typeof peekRequest>;
export type PeekAnswer = Parsed<typeof peekAnswer>;

/** The relay took the request: its id, and the seq of its event (the outcome comes later in the log). */
export const requestAnswer = schemaOnce(() => z.object({ id: requestId(), seq: seq(), host: NameSchema }));

export const SpawnRequestSchema = z.lazy(spawnRequest);
export const SpawnResultBodySchema = z.lazy(spawnResultBody);
export const KillRequestSchema = z.lazy(killRequest);
export const KillResultBodySchema = z.lazy(killResultBody);
export const RequestAnswerSchema = z.lazy(requestAnswer);

export type SpawnRequest = Parsed<typeof spawnRequest>;
export type SpawnResultBody = Parsed<typeof spawnResultBody>;
export type KillRequest = Parsed<typeof killRequest>;
export type KillResultBody = Parsed<typeof killResultBody>;
export type RequestAnswer = Parsed<typeof requestAnswer>;
export type SpawnRequestedEvent = Parsed<typeof events.spawnRequested>;
export type SpawnResultedEvent = Parsed<typeof events.spawnResulted>;
export type KillRequestedEvent = Parsed<typeof events.killRequested>;
export type KillResultedEvent = Parsed<typeof events.killResulted>;
/** Any event of the spawn audit. */
export type SpawnAuditEvent = SpawnRequestedEvent | SpawnResultedEvent | KillRequestedEvent | KillResultedEvent;

export const SPAWN_AUDIT_TYPES = ['spawn.requested', 'spawn.resulted', 'kill.requested', 'kill.resulted'] as const;
export const isSpawnAuditEvent = (e: { type: string }): e is SpawnAuditEvent => (SPAWN_AUDIT_TYPES as readonly string[]).includes(e.type);
