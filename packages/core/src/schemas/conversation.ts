// A conversation and its parts: turns, moderation notes, the proposal on the table, the decision
// and the resolution; and the moderator's actions on it.
import * as z from 'zod';
import { LIMITS } from '../limits.js';
import { actorName, bodyText, conversationStatus, decisionText, iso, maxTurns, NameSchema, nameList, seq, text, topicText, turnNumber } from './fields.js';
import { schemaOnce } from './lazy.js';

export const turn = schemaOnce(() =>
  z.strictObject({
    n: turnNumber(),
    author: NameSchema,
    /** Host the turn was posted from, stamped by the relay. */
    host: NameSchema,
    at: iso(),
    body: bodyText(),
    next: nameList(),
    /** Decision text this turn proposes. */
    proposes: decisionText().optional(),
    /** This turn agrees with the proposal made in that turn. */
    agrees: turnNumber().optional(),
  }),
);

/** A moderation entry shown between turns in the markdown copy. */
export const note = schemaOnce(() =>
  z.strictObject({
    /** Number of turns that existed when the note was made; it renders after that turn. */
    afterTurn: z.number().int().min(0),
    by: actorName(),
    at: iso(),
    text: text(1000),
  }),
);

export const proposal = schemaOnce(() => z.strictObject({ turn: turnNumber(), by: NameSchema, text: decisionText(), agreed: nameList() }));
export const decision = schemaOnce(() => z.strictObject({ text: decisionText(), turn: turnNumber(), at: iso(), agreedBy: nameList() }));
export const resolution = schemaOnce(() => z.strictObject({ text: decisionText(), by: actorName(), at: iso() }));

export const conversation = schemaOnce(() =>
  z.strictObject({
    id: NameSchema,
    topic: topicText(),
    openedBy: NameSchema,
    openedAt: iso(),
    participants: nameList(),
    moderator: NameSchema,
    status: conversationStatus(),
    maxTurns: maxTurns(),
    next: nameList(),
    turns: z.array(turn()).max(LIMITS.maxTurnsCeiling * 2),
    notes: z.array(note()).max(10_000),
    proposal: proposal().nullable(),
    decision: decision().nullable(),
    resolution: resolution().nullable(),
    /** Seq of the last event that changed this conversation. */
    seq: seq(),
    /** Archived: left out of listings unless asked for; copies live in the `archive/` folder. */
    archived: z.literal(true).optional(),
  }),
);

export const moderationAction = schemaOnce(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('next'), next: nameList().min(1) }),
    z.strictObject({ type: z.literal('extend'), by: maxTurns() }),
    z.strictObject({ type: z.literal('add'), session: NameSchema }),
    z.strictObject({ type: z.literal('remove'), session: NameSchema }),
  ]),
);

export const ConversationSchema = z.lazy(conversation);
/** One turn of a conversation (as in `ConversationSchema`). */
export const TurnSchema = z.lazy(turn);
export const ModerationActionSchema = z.lazy(moderationAction);
