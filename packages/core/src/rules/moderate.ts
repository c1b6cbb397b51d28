// Moderator powers: hand the floor, extend the limit, add or remove participants, close.
import { CrosstalkError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { checkName } from '../names.js';
import type { RelayState } from '../state.js';
import { checkBody } from '../text.js';
import type { ConversationModeratedEvent } from '../types.js';
import { actorName, checkMaxTurns, checkModerator, checkNext, everyoneAgreed, getConversation, rotationNext } from './checks.js';
import type { CloseCommand, ModerateCommand, Outcome } from './commands.js';

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
