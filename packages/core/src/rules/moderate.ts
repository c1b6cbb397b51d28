// Moderator powers: hand the floor, extend the limit, add or remove participants, close.
import { CrosstalkError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { checkName } from '../names.js';
import type { RelayState } from '../state.js';
import { checkBody } from '../text.js';
import type { Conversation, ConversationModeratedEvent, ModerationAction } from '../types.js';
import { actorName, checkMaxTurns, checkModerator, checkNext, everyoneAgreed, getConversation, rotationNext } from './checks.js';
import type { CloseCommand, ModerateCommand, Outcome } from './commands.js';

/** The conversation after a moderator's action, and the note the log keeps of it. */
type Moderated = Pick<ConversationModeratedEvent, 'note' | 'participants' | 'next' | 'maxTurns' | 'status' | 'proposal' | 'decision'>;
type Action<T extends ModerationAction['type']> = Extract<ModerationAction, { type: T }>;

export function decideModerate(state: RelayState, cmd: ModerateCommand): Outcome {
  const c = getConversation(state, cmd.conversation);
  checkModerator(state, c, cmd.actor);
  if (c.status === 'closed') throw new CrosstalkError('CONVERSATION_CLOSED', `${c.id} is closed`);
  const m = moderate(state, c, cmd.action, cmd.at);
  const event: Omit<ConversationModeratedEvent, 'seq'> = {
    type: 'conversation.moderated',
    at: cmd.at,
    conversation: c.id,
    by: actorName(cmd.actor),
    action: cmd.action,
    note: m.note,
    participants: m.participants,
    next: m.next,
    maxTurns: m.maxTurns,
    status: m.status,
    proposal: m.proposal,
    decision: m.decision,
  };
  return { kind: 'events', events: [event] };
}

function moderate(state: RelayState, c: Conversation, action: ModerationAction, at: string): Moderated {
  switch (action.type) {
    case 'next':
      return handFloor(c, action);
    case 'extend':
      return extendLimit(c, action);
    case 'add':
      return addParticipant(state, c, action);
    case 'remove':
      return removeParticipant(c, action, at);
  }
}

/** The conversation as it stands, to change one field or two. */
function asIs(c: Conversation): Omit<Moderated, 'note'> {
  return { participants: [...c.participants], next: [...c.next], maxTurns: c.maxTurns, status: c.status, proposal: c.proposal, decision: c.decision };
}

/** The floor goes to the named sessions; a converged conversation opens again. */
function handFloor(c: Conversation, action: Action<'next'>): Moderated {
  if (c.status === 'at-limit') {
    throw new CrosstalkError('LIMIT_REACHED', `${c.id} is at its turn limit; extend it first (--extend)`);
  }
  if (action.next.length === 0) throw new CrosstalkError('INVALID_REQUEST', 'name at least one session to speak next');
  const next = checkNext(c, action.next);
  return { ...asIs(c), next, status: c.status === 'converged' ? 'in-progress' : c.status, note: `Handed the floor to ${next.join(', ')}.` };
}

/** A higher limit; a conversation at its limit goes on with whoever the last turn named (or the rotation). */
function extendLimit(c: Conversation, action: Action<'extend'>): Moderated {
  if (!Number.isSafeInteger(action.by) || action.by < 1) throw new CrosstalkError('INVALID_REQUEST', 'extend by a whole number of turns, at least 1');
  const maxTurns = c.maxTurns + action.by;
  checkMaxTurns(maxTurns, 'the new turn limit');
  const after = { ...asIs(c), maxTurns, note: `Extended the turn limit to ${maxTurns}.` };
  if (c.status !== 'at-limit' || c.turns.length >= maxTurns) return after;
  const last = c.turns[c.turns.length - 1];
  let next = last && last.next.length > 0 ? last.next.filter((s) => c.participants.includes(s) || s === c.moderator) : [];
  if (next.length === 0) next = rotationNext(c, last?.author ?? c.openedBy);
  return { ...after, status: 'in-progress', next };
}

function addParticipant(state: RelayState, c: Conversation, action: Action<'add'>): Moderated {
  const s = checkName('session', action.session);
  if (!state.sessions.has(s)) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${s}`, { details: { session: s } });
  if (c.participants.includes(s)) throw new CrosstalkError('ALREADY_PARTICIPANT', `${s} already takes part in ${c.id}`);
  if (c.participants.length >= LIMITS.participants) {
    throw new CrosstalkError('INVALID_REQUEST', `a conversation holds at most ${LIMITS.participants} participants`);
  }
  return { ...asIs(c), participants: [...c.participants, s], note: `Added ${s} to the participants.` };
}

/**
 * The session leaves; the floor passes to whoever follows it when it held the floor alone, and
 * its agreement goes: a proposal everyone left agreed to converges the conversation.
 */
function removeParticipant(c: Conversation, action: Action<'remove'>, at: string): Moderated {
  const s = checkName('session', action.session);
  if (!c.participants.includes(s)) throw new CrosstalkError('NOT_A_PARTICIPANT', `${s} does not take part in ${c.id}`);
  if (c.participants.length <= 2) throw new CrosstalkError('TOO_FEW_PARTICIPANTS', 'a conversation keeps at least two participants; close it instead');
  const m: Moderated = { ...asIs(c), note: `Removed ${s} from the participants.` };
  const idx = m.participants.indexOf(s);
  m.participants = m.participants.filter((p) => p !== s);
  m.next = m.next.filter((p) => p !== s);
  if (m.next.length === 0 && m.status === 'in-progress') {
    const following = m.participants[idx % m.participants.length];
    m.next = following === undefined ? [] : [following];
  }
  if (m.proposal) {
    m.proposal = { ...m.proposal, agreed: m.proposal.agreed.filter((p) => p !== s) };
    if (m.status === 'in-progress' && everyoneAgreed(m.participants, m.proposal)) {
      m.status = 'converged';
      m.decision = { text: m.proposal.text, turn: m.proposal.turn, at, agreedBy: [...m.proposal.agreed] };
      m.next = [];
    }
  }
  return m;
}

export function decideClose(state: RelayState, cmd: CloseCommand): Outcome {
  const c = getConversation(state, cmd.conversation);
  checkModerator(state, c, cmd.actor);
  if (c.status === 'closed') throw new CrosstalkError('CONVERSATION_CLOSED', `${c.id} is already closed`);
  const resolution = checkBody(cmd.resolution, 'resolution', LIMITS.resolutionBytes);
  return { kind: 'events', events: [{ type: 'conversation.closed', at: cmd.at, conversation: c.id, by: actorName(cmd.actor), resolution }] };
}
