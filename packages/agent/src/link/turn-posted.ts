// A `turn.posted` event checked by hand, with exactly the rules of core's schema (turnPosted in
// packages/core/src/schemas/events.ts): every post comes back to its host as one, and the schema's
// machinery (a discriminated union of strict objects whose names and texts are refined) cost the
// agent more than applying and writing the event. The rules are few and closed, so a hand check
// is cheap to keep exact, and turn-posted.test.ts proves it: a property test feeds both the same
// generated events, valid and broken in every field, and they must agree on each. Any other kind
// of event still goes through the schema (frames.ts).
import { CONVERSATION_STATUSES, isValidName, isValidText, LIMITS } from '@crosstalk/core';

type Json = Record<string, unknown>;

const STATUSES: ReadonlySet<unknown> = new Set(CONVERSATION_STATUSES);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

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

const int = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const name = (v: unknown): boolean => typeof v === 'string' && v.length <= 64 && isValidName(v);
const text = (v: unknown, maxChars: number): boolean => typeof v === 'string' && v.length <= maxChars && isValidText(v);
const iso = (v: unknown): boolean => typeof v === 'string' && v.length <= 40 && ISO.test(v);
const turnNumber = (v: unknown): boolean => int(v, 1, 1_000_000);

function nameList(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > LIMITS.participants) return false;
  for (const n of v) if (!name(n)) return false;
  return true;
}

function turn(v: unknown): boolean {
  if (!isObject(v) || !hasExactly(v, TURN_REQUIRED, ['proposes', 'agrees'])) return false;
  return (
    turnNumber(v.n) &&
    name(v.author) &&
    name(v.host) &&
    iso(v.at) &&
    text(v.body, LIMITS.bodyBytes) &&
    nameList(v.next) &&
    (!('proposes' in v) || text(v.proposes, LIMITS.resolutionBytes)) &&
    (!('agrees' in v) || turnNumber(v.agrees))
  );
}

function proposal(v: unknown): boolean {
  if (v === null) return true;
  if (!isObject(v) || !hasExactly(v, ['turn', 'by', 'text', 'agreed'])) return false;
  return turnNumber(v.turn) && name(v.by) && text(v.text, LIMITS.resolutionBytes) && nameList(v.agreed);
}

function decision(v: unknown): boolean {
  if (v === null) return true;
  if (!isObject(v) || !hasExactly(v, ['text', 'turn', 'at', 'agreedBy'])) return false;
  return text(v.text, LIMITS.resolutionBytes) && turnNumber(v.turn) && iso(v.at) && nameList(v.agreedBy);
}

/** Whether `v` (parsed JSON, with `type: 'turn.posted'`) is a turn.posted event core's schema accepts. */
export function isTurnPosted(v: unknown): boolean {
  if (!isObject(v) || !hasExactly(v, EVENT_REQUIRED)) return false;
  return (
    v.type === 'turn.posted' &&
    int(v.seq, 1, Number.MAX_SAFE_INTEGER) &&
    iso(v.at) &&
    name(v.conversation) &&
    turn(v.turn) &&
    STATUSES.has(v.status) &&
    nameList(v.next) &&
    proposal(v.proposal) &&
    decision(v.decision) &&
    typeof v.key === 'string' &&
    v.key.length <= 200
  );
}
