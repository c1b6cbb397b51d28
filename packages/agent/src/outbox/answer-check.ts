// The relay's answer to a post, checked by hand before the schema: one comes for every post, and
// core's answer schemas cost more than the rest of the answer's way through the agent. The check
// says yes only to an answer the schema takes whole and unchanged (every field known, in the
// schema's order, within its bounds — what the relay sends); anything else, odd or wrong, goes to
// the schema, whose verdict stands. answer-check.test.ts holds the two together.
import { LIMITS } from '@crosstalk/core';
import { isInt, isIso, isName, isNameList, isSeq, isStatus, isText, isTurnNumber } from '../link/field-checks.js';

const SUMMARY_KEYS = ['id', 'topic', 'status', 'participants', 'moderator', 'next', 'turns', 'maxTurns', 'openedBy', 'openedAt', 'seq', 'updatedAt'];
const TURN_KEYS = ['n', 'author', 'host', 'at', 'body', 'next'];

type Fields = Record<string, unknown>;

/**
 * Whether `answer` is a post's answer (`{conversation, turn, seq, duplicate}`) or, for `moderate`,
 * a moderation's (`{conversation, seq}`) exactly as the schema would output it. False means
 * "ask the schema", not "wrong".
 */
export function plainlyValidAnswer(answer: unknown, kind: 'post' | 'moderate'): boolean {
  if (!isPlainObject(answer)) return false;
  const keys = Object.keys(answer);
  if (kind === 'post') {
    return (
      keys.length === 4 &&
      keys[0] === 'conversation' &&
      keys[1] === 'turn' &&
      keys[2] === 'seq' &&
      keys[3] === 'duplicate' &&
      isSummary(answer.conversation) &&
      isTurn(answer.turn) &&
      isSeq(answer.seq) &&
      typeof answer.duplicate === 'boolean'
    );
  }
  return keys.length === 2 && keys[0] === 'conversation' && keys[1] === 'seq' && isSummary(answer.conversation) && isSeq(answer.seq);
}

function isSummary(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  const archived = keys.length === SUMMARY_KEYS.length + 1 && keys[SUMMARY_KEYS.length] === 'archived';
  if (!(keys.length === SUMMARY_KEYS.length || archived) || !sameStart(keys, SUMMARY_KEYS)) return false;
  return (
    isName(v.id) &&
    isText(v.topic, LIMITS.topicChars * 2) &&
    isStatus(v.status) &&
    isNameList(v.participants) &&
    isName(v.moderator) &&
    isNameList(v.next) &&
    isInt(v.turns, 0, LIMITS.maxTurnsCeiling * 2) &&
    isInt(v.maxTurns, 1, LIMITS.maxTurnsCeiling) &&
    isName(v.openedBy) &&
    isIso(v.openedAt) &&
    isSeq(v.seq) &&
    isIso(v.updatedAt) &&
    (!archived || typeof v.archived === 'boolean')
  );
}

function isTurn(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  if (keys.length < TURN_KEYS.length || keys.length > TURN_KEYS.length + 2 || !sameStart(keys, TURN_KEYS)) return false;
  const rest = keys.slice(TURN_KEYS.length);
  // The optional fields, each at most once and in the schema's order.
  if (!(rest.length === 0 || (rest.length === 1 && (rest[0] === 'proposes' || rest[0] === 'agrees')) || (rest[0] === 'proposes' && rest[1] === 'agrees')))
    return false;
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

function isPlainObject(v: unknown): v is Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function sameStart(keys: string[], want: string[]): boolean {
  for (let i = 0; i < want.length; i++) if (keys[i] !== want[i]) return false;
  return true;
}
