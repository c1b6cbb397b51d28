// Deleted conversations in the relay: the tombstone removes the conversation from the state at
// once, and from then on every record of it that the log still holds is served as a
// `conversation.purged` stub (same seq and time, no content), until compaction writes the stubs
// into the log itself. One function makes the stub for both, so what a client reads is the same
// before and after compaction. The fold keeps the set of them (fold.ts, foldDeletion).
import type { RelayEvent } from '@crosstalk/core';

/**
 * The conversation a record is about, read from its JSON text without parsing it: `"conversation":"<id>"`
 * (turns, moderation, close, receipts, archive, delete) or `"conversation":{"id":"<id>"` (the opening).
 * Text inside a JSON string has every quote escaped, so a body can never match the pattern.
 */
const CONVERSATION_FIELD = /"conversation":(?:\{"id":)?"([a-z0-9-]{1,64})"/;

export function recordConversation(json: string): string | null {
  return CONVERSATION_FIELD.exec(json)?.[1] ?? null;
}

/**
 * The kinds whose whole effect is on one conversation: those a deleted conversation's records are
 * emptied of. Anything else that names a conversation (its tombstone, a kind added later) is kept.
 */
const PURGEABLE: ReadonlySet<string> = new Set([
  'conversation.opened',
  'turn.posted',
  'conversation.moderated',
  'conversation.closed',
  'conversation.archived',
  'receipt',
]);

export function isPurgeable(type: string): boolean {
  return PURGEABLE.has(type);
}

/** The stub that stands for an event of a deleted conversation: seq first, as every record. */
export function purgedJson(event: { seq: number; at: string }, conversation: string): string {
  return JSON.stringify({ seq: event.seq, type: 'conversation.purged', at: event.at, conversation });
}

/** `json` as it may be served: a record of a conversation in `deleted` (but not its tombstone) becomes a stub. */
export function purgeRecord(json: string, deleted: ReadonlySet<string>): string {
  if (deleted.size === 0) return json;
  const id = recordConversation(json);
  if (id === null || !deleted.has(id)) return json;
  const event = JSON.parse(json) as RelayEvent;
  return isPurgeable(event.type) ? purgedJson(event, id) : json;
}
