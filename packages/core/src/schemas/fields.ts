// The bounded pieces every shape is made of: names, seqs, turn numbers, timestamps, texts, and the
// closed vocabularies. A bound written here holds wherever the piece is used.
import * as z from 'zod';
import { LIMITS } from '../limits.js';
import { isValidName } from '../names.js';
import { isValidText } from '../text.js';
import { schemaOnce } from './lazy.js';

import { CONVERSATION_STATUSES, RECEIPT_STATUSES, SESSION_KINDS } from '../words.js';

export { CONVERSATION_STATUSES, RECEIPT_STATUSES, SESSION_KINDS };

// Used by almost every schema and cheap to build, so built at once.
export const NameSchema = z.string().max(64).refine(isValidName, { message: 'invalid name' });
export const SessionKindSchema = z.enum(SESSION_KINDS);

export const text = (maxChars: number) => z.string().max(maxChars).refine(isValidText, { message: 'invalid text' });
export const seq = schemaOnce(() => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));
export const turnNumber = schemaOnce(() => z.number().int().min(1).max(1_000_000));
const RELAY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const RELAY_TIME_CHARS = 40;
/** A relay timestamp: `Date.prototype.toISOString`, UTC. */
export const iso = schemaOnce(() => z.string().max(RELAY_TIME_CHARS).regex(RELAY_TIME));
/** Whether a value is what `iso()` takes, without the schema (hand checks on hot paths). */
export const isRelayTime = (value: unknown): boolean => typeof value === 'string' && value.length <= RELAY_TIME_CHARS && RELAY_TIME.test(value);
export const nameList = schemaOnce(() => z.array(NameSchema).max(LIMITS.participants));
export const idempotencyKey = schemaOnce(() =>
  z
    .string()
    .min(1)
    .max(LIMITS.idempotencyKeyChars)
    .regex(/^[\x21-\x7e]+$/),
);
// Bodies are bounded in bytes by the rules; this character bound is only a cheap first gate.
export const bodyText = schemaOnce(() => text(LIMITS.bodyBytes));
export const topicText = schemaOnce(() => text(LIMITS.topicChars * 2));
export const decisionText = schemaOnce(() => text(LIMITS.resolutionBytes));
export const maxTurns = schemaOnce(() => z.number().int().min(1).max(LIMITS.maxTurnsCeiling));
export const conversationStatus = schemaOnce(() => z.enum(CONVERSATION_STATUSES));
export const receiptStatus = schemaOnce(() => z.enum(RECEIPT_STATUSES));
/** Who made a moderation entry or closed a conversation: a session, or `admin`. */
export const actorName = schemaOnce(() => z.string().max(64));

/** Whether a command-line or query value names a session kind (and may be used as one). */
export const isSessionKind = (value: unknown): value is z.output<typeof SessionKindSchema> => SessionKindSchema.safeParse(value).success;

/** Whether a command-line or query value names a conversation status (and may be used as one). */
export const isConversationStatus = (value: unknown): value is z.output<ReturnType<typeof conversationStatus>> => conversationStatus().safeParse(value).success;
