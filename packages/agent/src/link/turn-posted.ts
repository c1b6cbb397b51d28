// A `turn.posted` event checked by hand, with exactly the rules of core's schema (turnPosted in
// packages/core/src/schemas/events.ts): every post comes back to its host as one, and the schema's
// machinery (a discriminated union of strict objects whose names and texts are refined) cost the
// agent more than applying and writing the event. The rules are few and closed, so a hand check
// is cheap to keep exact, and turn-posted.test.ts proves it: a property test feeds both the same
// generated events, valid and broken in every field, and they must agree on each. Any other kind
// of event still goes through the schema (frames.ts).
import { LIMITS } from '@crosstalk/core';
import { isInt, isIso, isName, isNameList, isStatus, isText, isTurnNumber } from './field-checks.js';

type Json = Record<string, unknown>;

const TURN_REQUIRED = ['n', 'author', 'host', 'at', 'body', 'next'] as const;
const EVENT_REQUIRED = ['seq', 'at', 'type', 'conversation', 'turn', 'status', 'next', 'proposal', 'decision', 'key'] as const;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A strict object: every required key there, nothing but required and optional keys. */
function hasExactly(o: Json, required: readonly string[], optional: readonly string[] = []): boolean {
  let found = 0;
  for (const k of Object.keys(o)) {
    if (required.includes(k)) found++;
    else if (!optional.includes(k)) return false;
  }
  return found === required.length;
}

function turn(v: unknown): boolean {
  if (!isObject(v) || !hasExactly(v, TURN_REQUIRED, ['proposes', 'agrees'])) return false;
  return (
    isTurnNumber(v.n) &&
    isName(v.author) &&
    isName(v.host) &&
    isIso(v.at) &&
    isText(v.body, LIMITS.bodyBytes) &&
    isNameList(v.next) &&
    (!('proposes' in v) || isText(v.proposes, LIMITS.resolutionBytes)) &&
    (!('agrees' in v) || isTurnNumber(v.agrees))
  );
}

function proposal(v: unknown): boolean {
  if (v === null) return true;
  if (!isObject(v) || !hasExactly(v, ['turn', 'by', 'text', 'agreed'])) return false;
  return isTurnNumber(v.turn) && isName(v.by) && isText(v.text, LIMITS.resolutionBytes) && isNameList(v.agreed);
}

function decision(v: unknown): boolean {
  if (v === null) return true;
  if (!isObject(v) || !hasExactly(v, ['text', 'turn', 'at', 'agreedBy'])) return false;
  return isText(v.text, LIMITS.resolutionBytes) && isTurnNumber(v.turn) && isIso(v.at) && isNameList(v.agreedBy);
}

/** Whether `v` (parsed JSON, with `type: 'turn.posted'`) is a turn.posted event core's schema accepts. */
export function isTurnPosted(v: unknown): boolean {
  if (!isObject(v) || !hasExactly(v, EVENT_REQUIRED)) return false;
  return (
    v.type === 'turn.posted' &&
    isInt(v.seq, 1, Number.MAX_SAFE_INTEGER) &&
    isIso(v.at) &&
    isName(v.conversation) &&
    turn(v.turn) &&
    isStatus(v.status) &&
    isNameList(v.next) &&
    proposal(v.proposal) &&
    decision(v.decision) &&
    typeof v.key === 'string' &&
    v.key.length <= 200
  );
}
