// The conversation rules (SPEC §4) as pure functions: (state, command) → events, or a thrown
// CrosstalkError that changes nothing. The relay wires them to HTTP and the log.
import { CrosstalkError } from './errors.js';
import { LIMITS } from './limits.js';
import { checkName } from './names.js';
import type { RelayState } from './state.js';
import { checkBody, checkLine } from './text.js';
import type {
  Actor,
  Conversation,
  ConversationModeratedEvent,
  ConversationStatus,
  ModerationAction,
  PendingEvent,
  Proposal,
  Turn,
} from './types.js';

export type Outcome =
  | { kind: 'events'; events: PendingEvent[] }
  /** The idempotency key was seen before: the original result, nothing new. */
  | { kind: 'duplicate'; conversation: string; turn: number };

export interface OpenCommand {
  actor: Actor & { kind: 'session' };
  /** A fresh id from conversationId(); the caller retries with new randomness on collision. */
  id: string;
  topic: string;
  with: string[];
  moderator?: string;
  maxTurns?: number;
  body: string;
  next?: string[];
  key: string;
  at: string;
}

export interface PostCommand {
  actor: Actor & { kind: 'session' };
  conversation: string;
  expectedTurn: number;
  key: string;
  body: string;
  next?: string[];
  /** Proposes a decision; the text of the decision. */
  propose?: string;
  agree?: boolean;
  at: string;
}

export interface ModerateCommand {
  actor: Actor;
  conversation: string;
  action: ModerationAction;
  at: string;
}

export interface CloseCommand {
  actor: Actor;
  conversation: string;
  resolution: string;
  at: string;
}

const scopedKey = (host: string, key: string) => `${host}:${key}`;

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

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > LIMITS.idempotencyKeyChars || !/^[\x21-\x7e]+$/.test(key)) {
    throw new CrosstalkError('INVALID_REQUEST', `idempotency key must be 1-${LIMITS.idempotencyKeyChars} printable ASCII characters`);
  }
}

function checkMaxTurns(n: number, what: string): void {
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
  const lastParticipantTurn = [...(c.turns ?? [])].reverse().find((t) => c.participants.includes(t.author));
  const intended = lastParticipantTurn ? held(lastParticipantTurn.next) : [];
  return intended.length > 0 ? intended : c.participants.slice(0, 1);
}

function checkNext(c: Pick<Conversation, 'participants' | 'moderator'>, next: string[]): string[] {
  const unique = [...new Set(next.map((s) => checkName('session', s)))];
  for (const s of unique) {
    if (!c.participants.includes(s) && s !== c.moderator) {
      throw new CrosstalkError('NOT_A_PARTICIPANT', `${s} is not a participant of this conversation`, { details: { session: s } });
    }
  }
  return unique;
}

export function decideOpen(state: RelayState, cmd: OpenCommand): Outcome {
  checkActingSession(state, cmd.actor);
  checkKey(cmd.key);
  const seen = state.idempotency.get(scopedKey(cmd.actor.host, cmd.key));
  if (seen) return { kind: 'duplicate', ...seen };
  checkName('conversation', cmd.id);
  if (state.conversations.has(cmd.id)) throw new CrosstalkError('INTERNAL', `conversation id ${cmd.id} is taken; retry`);
  const topic = checkLine(cmd.topic, 'topic', LIMITS.topicChars);
  checkBody(cmd.body);
  const opener = cmd.actor.session;
  const participants = [...new Set([opener, ...cmd.with.map((s) => checkName('session', s))])];
  if (participants.length < 2) throw new CrosstalkError('TOO_FEW_PARTICIPANTS');
  if (participants.length > LIMITS.participants) {
    throw new CrosstalkError('INVALID_REQUEST', `a conversation holds at most ${LIMITS.participants} participants`);
  }
  for (const s of participants) {
    if (!state.sessions.has(s)) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${s}`, { details: { session: s } });
  }
  const moderator = cmd.moderator === undefined ? opener : checkName('session', cmd.moderator);
  if (!state.sessions.has(moderator)) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${moderator}`, { details: { session: moderator } });
  const maxTurns = cmd.maxTurns ?? LIMITS.defaultMaxTurns;
  checkMaxTurns(maxTurns, 'max turns');

  const base = { participants, moderator, next: [] as string[] };
  const next = cmd.next && cmd.next.length > 0 ? checkNext(base, cmd.next) : rotationNext(base, opener);
  const turn: Turn = { n: 1, author: opener, host: cmd.actor.host, at: cmd.at, body: cmd.body, next };
  const atLimit = maxTurns <= 1;
  const conversation: Conversation = {
    id: cmd.id,
    topic,
    openedBy: opener,
    openedAt: cmd.at,
    participants,
    moderator,
    status: atLimit ? 'at-limit' : 'in-progress',
    maxTurns,
    next: atLimit ? [moderator] : next,
    turns: [turn],
    notes: [],
    proposal: null,
    decision: null,
    resolution: null,
    seq: 0,
  };
  return { kind: 'events', events: [{ type: 'conversation.opened', at: cmd.at, conversation, key: scopedKey(cmd.actor.host, cmd.key) }] };
}

export function decidePost(state: RelayState, cmd: PostCommand): Outcome {
  checkActingSession(state, cmd.actor);
  checkKey(cmd.key);
  const seen = state.idempotency.get(scopedKey(cmd.actor.host, cmd.key));
  if (seen) {
    if (seen.conversation !== cmd.conversation) throw new CrosstalkError('IDEMPOTENCY_KEY_REUSED');
    return { kind: 'duplicate', ...seen };
  }
  const c = getConversation(state, cmd.conversation);
  const author = cmd.actor.session;
  const isModerator = author === c.moderator;
  if (c.status === 'closed') throw new CrosstalkError('CONVERSATION_CLOSED', `${c.id} is closed`);
  if (c.status === 'converged') throw new CrosstalkError('CONVERSATION_CONVERGED', `${c.id} has converged`);
  const current = c.turns.length;
  if (!Number.isSafeInteger(cmd.expectedTurn) || cmd.expectedTurn !== current + 1) {
    throw new CrosstalkError('TURN_CONFLICT', `expected turn ${cmd.expectedTurn}, but the next turn of ${c.id} is ${current + 1}`, {
      details: { expectedTurn: cmd.expectedTurn, nextTurn: current + 1 },
    });
  }
  if (c.status === 'at-limit' && !isModerator) {
    throw new CrosstalkError('LIMIT_REACHED', `${c.id} reached its limit of ${c.maxTurns} turns; the floor is with the moderator ${c.moderator}`);
  }
  if (!c.next.includes(author) && !isModerator) {
    throw new CrosstalkError('NOT_YOUR_TURN', `it is not ${author}'s turn in ${c.id}; next: ${c.next.join(', ') || 'nobody'}`, {
      details: { next: c.next },
    });
  }
  checkBody(cmd.body);
  if (cmd.propose !== undefined && cmd.agree) throw new CrosstalkError('INVALID_REQUEST', 'a turn cannot both propose and agree');

  const n = current + 1;
  let next = cmd.next && cmd.next.length > 0 ? checkNext(c, cmd.next) : rotationNext(c, author);
  const turn: Turn = { n, author, host: cmd.actor.host, at: cmd.at, body: cmd.body, next };
  let proposal: Proposal | null = c.proposal;
  if (cmd.propose !== undefined) {
    const text = cmd.propose.trim() === '' ? cmd.body : cmd.propose;
    checkBody(text, 'decision', LIMITS.resolutionBytes);
    turn.proposes = text;
    proposal = { turn: n, by: author, text, agreed: c.participants.includes(author) ? [author] : [] };
  } else if (cmd.agree) {
    if (!proposal) throw new CrosstalkError('NO_PROPOSAL', `there is no proposal in ${c.id} to agree with`);
    turn.agrees = proposal.turn;
    if (c.participants.includes(author) && !proposal.agreed.includes(author)) {
      proposal = { ...proposal, agreed: [...proposal.agreed, author] };
    }
  }
  let status: ConversationStatus = c.status;
  let decision = c.decision;
  if (proposal && proposal !== c.proposal && everyoneAgreed(c.participants, proposal)) {
    status = 'converged';
    decision = { text: proposal.text, turn: proposal.turn, at: cmd.at, agreedBy: [...proposal.agreed] };
    next = [];
  } else if (n >= c.maxTurns) {
    status = 'at-limit';
    next = [c.moderator];
  }
  return {
    kind: 'events',
    events: [{ type: 'turn.posted', at: cmd.at, conversation: c.id, turn, status, next, proposal, decision, key: scopedKey(cmd.actor.host, cmd.key) }],
  };
}

function everyoneAgreed(participants: string[], proposal: Proposal): boolean {
  return participants.every((p) => proposal.agreed.includes(p));
}

function actorName(actor: Actor): string {
  return actor.kind === 'admin' ? 'admin' : actor.session;
}

function checkModerator(state: RelayState, c: Conversation, actor: Actor): void {
  if (actor.kind === 'admin') return;
  checkActingSession(state, actor);
  if (actor.session !== c.moderator) {
    throw new CrosstalkError('NOT_MODERATOR', `only the moderator ${c.moderator} (or the relay admin) may do this in ${c.id}`, {
      details: { moderator: c.moderator },
    });
  }
}

export function decideModerate(state: RelayState, cmd: ModerateCommand): Outcome {
  const c = getConversation(state, cmd.conversation);
  checkModerator(state, c, cmd.actor);
  if (c.status === 'closed') throw new CrosstalkError('CONVERSATION_CLOSED', `${c.id} is closed`);
  const by = actorName(cmd.actor);
  let participants = [...c.participants];
  let next = [...c.next];
  let maxTurns = c.maxTurns;
  let status = c.status;
  let proposal = c.proposal;
  let decision = c.decision;
  let note: string;
  const action = cmd.action;
  switch (action.type) {
    case 'next': {
      if (c.status === 'at-limit') {
        throw new CrosstalkError('LIMIT_REACHED', `${c.id} is at its turn limit; extend it first (--extend)`);
      }
      if (action.next.length === 0) throw new CrosstalkError('INVALID_REQUEST', 'name at least one session to speak next');
      next = checkNext(c, action.next);
      if (status === 'converged') status = 'in-progress';
      note = `Handed the floor to ${next.join(', ')}.`;
      break;
    }
    case 'extend': {
      if (!Number.isSafeInteger(action.by) || action.by < 1) throw new CrosstalkError('INVALID_REQUEST', 'extend by a whole number of turns, at least 1');
      maxTurns = c.maxTurns + action.by;
      checkMaxTurns(maxTurns, 'the new turn limit');
      if (status === 'at-limit' && c.turns.length < maxTurns) {
        status = 'in-progress';
        const last = c.turns[c.turns.length - 1];
        next = last && last.next.length > 0 ? last.next.filter((s) => participants.includes(s) || s === c.moderator) : [];
        if (next.length === 0) next = rotationNext(c, last?.author ?? c.openedBy);
      }
      note = `Extended the turn limit to ${maxTurns}.`;
      break;
    }
    case 'add': {
      const s = checkName('session', action.session);
      if (!state.sessions.has(s)) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${s}`, { details: { session: s } });
      if (participants.includes(s)) throw new CrosstalkError('ALREADY_PARTICIPANT', `${s} already takes part in ${c.id}`);
      if (participants.length >= LIMITS.participants) {
        throw new CrosstalkError('INVALID_REQUEST', `a conversation holds at most ${LIMITS.participants} participants`);
      }
      participants.push(s);
      note = `Added ${s} to the participants.`;
      break;
    }
    case 'remove': {
      const s = checkName('session', action.session);
      if (!participants.includes(s)) throw new CrosstalkError('NOT_A_PARTICIPANT', `${s} does not take part in ${c.id}`);
      if (participants.length <= 2) throw new CrosstalkError('TOO_FEW_PARTICIPANTS', 'a conversation keeps at least two participants; close it instead');
      const idx = participants.indexOf(s);
      participants = participants.filter((p) => p !== s);
      next = next.filter((p) => p !== s);
      if (next.length === 0 && status === 'in-progress') {
        const following = participants[idx % participants.length];
        next = following === undefined ? [] : [following];
      }
      if (proposal) {
        proposal = { ...proposal, agreed: proposal.agreed.filter((p) => p !== s) };
        if (status === 'in-progress' && everyoneAgreed(participants, proposal)) {
          status = 'converged';
          decision = { text: proposal.text, turn: proposal.turn, at: cmd.at, agreedBy: [...proposal.agreed] };
          next = [];
        }
      }
      note = `Removed ${s} from the participants.`;
      break;
    }
  }
  const event: Omit<ConversationModeratedEvent, 'seq'> = {
    type: 'conversation.moderated',
    at: cmd.at,
    conversation: c.id,
    by,
    action,
    note,
    participants,
    next,
    maxTurns,
    status,
    proposal,
    decision,
  };
  return { kind: 'events', events: [event] };
}

export function decideClose(state: RelayState, cmd: CloseCommand): Outcome {
  const c = getConversation(state, cmd.conversation);
  checkModerator(state, c, cmd.actor);
  if (c.status === 'closed') throw new CrosstalkError('CONVERSATION_CLOSED', `${c.id} is already closed`);
  const resolution = checkBody(cmd.resolution, 'resolution', LIMITS.resolutionBytes);
  return { kind: 'events', events: [{ type: 'conversation.closed', at: cmd.at, conversation: c.id, by: actorName(cmd.actor), resolution }] };
}

/** The turn number a session is expected to write next, as shown in "Turn n/max". */
export function nextTurnNumber(c: Pick<Conversation, 'turns'>): number {
  return c.turns.length + 1;
}

/** Sessions whose terminal should be typed into for this conversation's current state. */
export function sessionsToWake(c: Conversation): string[] {
  if (c.status === 'in-progress') return [...c.next];
  if (c.status === 'at-limit') return [c.moderator];
  return [];
}
