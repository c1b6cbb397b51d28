// Checks and small derivations shared by the conversation rules.
import { CrosstalkError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { checkName } from '../names.js';
import type { RelayState } from '../state.js';
import type { Actor, Conversation, Proposal, Turn } from '../types.js';

export const scopedKey = (host: string, key: string) => `${host}:${key}`;

/** The session must exist and belong to the acting host. */
export function checkActingSession(state: RelayState, actor: Actor & { kind: 'session' }): void {
  checkName('session', actor.session);
  const session = state.sessions.get(actor.session);
  if (!session) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${actor.session}`, { details: { session: actor.session } });
  if (session.host !== actor.host) {
    throw new CrosstalkError('SESSION_NOT_OWNED', `session ${actor.session} belongs to host ${session.host}, not ${actor.host}`, {
      details: { session: actor.session, owner: session.host },
    });
  }
}

export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > LIMITS.idempotencyKeyChars || !/^[\x21-\x7e]+$/.test(key)) {
    throw new CrosstalkError('INVALID_REQUEST', `idempotency key must be 1-${LIMITS.idempotencyKeyChars} printable ASCII characters`);
  }
}

export function checkMaxTurns(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 1 || n > LIMITS.maxTurnsCeiling) {
    throw new CrosstalkError('INVALID_REQUEST', `${what} must be a whole number from 1 to ${LIMITS.maxTurnsCeiling}`);
  }
}

export function getConversation(state: RelayState, id: string): Conversation {
  checkName('conversation', id);
  const c = state.conversations.get(id);
  if (!c) throw new CrosstalkError('CONVERSATION_NOT_FOUND', `no conversation ${id}`, { details: { conversation: id } });
  return c;
}

/** Who speaks after `author` when a turn names nobody: the next participant in rotation. */
export function rotationNext(c: Pick<Conversation, 'participants' | 'next'> & { turns?: Turn[] }, author: string): string[] {
  const i = c.participants.indexOf(author);
  if (i >= 0) {
    const following = c.participants[(i + 1) % c.participants.length];
    return following === undefined || following === author ? [] : [following];
  }
  // A non-participant (the moderator) spoke: the floor goes back to whoever had it.
  const held = (names: string[]) => names.filter((s) => s !== author && c.participants.includes(s));
  const kept = held(c.next);
  if (kept.length > 0) return kept;
  const last = lastParticipantTurn(c);
  const intended = last ? held(last.next) : [];
  return intended.length > 0 ? intended : c.participants.slice(0, 1);
}

/** The latest turn a participant wrote, read from the end: no copy of the turns, and usually one or two read. */
function lastParticipantTurn(c: Pick<Conversation, 'participants'> & { turns?: Turn[] }): Turn | undefined {
  const turns = c.turns ?? [];
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i] as Turn;
    if (c.participants.includes(t.author)) return t;
  }
  return undefined;
}

export function checkNext(c: Pick<Conversation, 'participants' | 'moderator'>, next: string[]): string[] {
  const unique = [...new Set(next.map((s) => checkName('session', s)))];
  for (const s of unique) {
    if (!c.participants.includes(s) && s !== c.moderator) {
      throw new CrosstalkError('NOT_A_PARTICIPANT', `${s} is not a participant of this conversation`, { details: { session: s } });
    }
  }
  return unique;
}

export function everyoneAgreed(participants: string[], proposal: Proposal): boolean {
  return participants.every((p) => proposal.agreed.includes(p));
}

export function actorName(actor: Actor): string {
  return actor.kind === 'admin' ? 'admin' : actor.session;
}

export function checkModerator(state: RelayState, c: Conversation, actor: Actor): void {
  if (actor.kind === 'admin') return;
  checkActingSession(state, actor);
  if (actor.session !== c.moderator) {
    throw new CrosstalkError('NOT_MODERATOR', `only the moderator ${c.moderator} (or the relay admin) may do this in ${c.id}`, {
      details: { moderator: c.moderator },
    });
  }
}

/** The turn number a session is expected to write next, as shown in "Turn n/max". */
/** Sessions whose terminal should be typed into for this conversation's current state. */
export function sessionsToWake(c: Conversation): string[] {
  if (c.status === 'in-progress') return [...c.next];
  if (c.status === 'at-limit') return [c.moderator];
  return [];
}
