// The fields of what the relay sends, checked by hand with the bounds of core's schemas
// (schemas/fields.ts): the pieces the hand checks of hot frames (turn-posted.ts, a post's answer
// in outbox/answer-check.ts) are made of, so a bound is written once for both.
import { CONVERSATION_STATUSES, isRelayTime, isValidName, isValidText, LIMITS } from '@crosstalk/core';

const STATUSES: ReadonlySet<unknown> = new Set(CONVERSATION_STATUSES);

/** An integer from `min` to `max` (both safe integers). */
export function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

export const isSeq = (v: unknown): boolean => isInt(v, 0, Number.MAX_SAFE_INTEGER);
export const isTurnNumber = (v: unknown): boolean => isInt(v, 1, 1_000_000);
export const isIso = isRelayTime;
export const isStatus = (v: unknown): boolean => STATUSES.has(v);

export function isName(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 64 && isValidName(v);
}

/** At most a conversation's participants, each a name (and no holes). */
export function isNameList(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > LIMITS.participants) return false;
  for (let i = 0; i < v.length; i++) if (!(i in v) || !isName(v[i])) return false;
  return true;
}

export function isText(v: unknown, maxChars: number): boolean {
  return typeof v === 'string' && v.length <= maxChars && isValidText(v);
}
