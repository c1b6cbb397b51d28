// Opening a conversation and posting a turn (SPEC §4).
import { CrosstalkError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { checkName } from '../names.js';
import type { RelayState } from '../state.js';
import { checkBody, checkLine } from '../text.js';
import type { Conversation, ConversationStatus, Proposal, Turn } from '../types.js';
import { checkActingSession, checkKey, checkMaxTurns, checkNext, everyoneAgreed, getConversation, rotationNext, scopedKey } from './checks.js';
import type { OpenCommand, Outcome, PostCommand } from './commands.js';

export function decideOpen(state: RelayState, cmd: OpenCommand): Outcome {
  checkActingSession(state, cmd.actor);
  checkKey(cmd.key);
  const seen = state.idempotency.get(scopedKey(cmd.actor.host, cmd.key));
  if (seen) {
    const original = state.conversations.get(seen.conversation);
    const first = original?.turns[0];
    if (!original || first?.author !== cmd.actor.session || first.body !== cmd.body || original.topic !== cmd.topic.trim()) {
      throw new CrosstalkError('IDEMPOTENCY_KEY_REUSED', `idempotency key ${cmd.key} already opened ${seen.conversation} with another request`);
    }
    return { kind: 'duplicate', ...seen };
  }
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
  const repeated = repeatedPost(state, cmd);
  if (repeated) return repeated;
  const c = getConversation(state, cmd.conversation);
  checkMayPost(c, cmd);
  checkBody(cmd.body);
  if (cmd.propose !== undefined && cmd.agree) throw new CrosstalkError('INVALID_REQUEST', 'a turn cannot both propose and agree');

  const author = cmd.actor.session;
  const n = c.turns.length + 1;
  let next = cmd.next && cmd.next.length > 0 ? checkNext(c, cmd.next) : rotationNext(c, author);
  const turn: Turn = { n, author, host: cmd.actor.host, at: cmd.at, body: cmd.body, next };
  const proposal = proposalAfter(c, cmd, turn);
  let status: ConversationStatus = c.status;
  let decision = c.decision;
  if (proposal && proposal !== c.proposal && everyoneAgreed(c.participants, proposal)) {
    status = 'converged';
    decision = { text: proposal.text, turn: proposal.turn, at: cmd.at, agreedBy: [...proposal.agreed] };
    next = [];
    // The converging turn hands the floor to nobody, and its copy says so (NEXT: -), as the header does.
    turn.next = [];
  } else if (n >= c.maxTurns) {
    status = 'at-limit';
    next = [c.moderator];
  }
  return {
    kind: 'events',
    events: [{ type: 'turn.posted', at: cmd.at, conversation: c.id, turn, status, next, proposal, decision, key: scopedKey(cmd.actor.host, cmd.key) }],
  };
}

/** The original turn for a repeated key; a key used for another request is refused. Null for a new key. */
function repeatedPost(state: RelayState, cmd: PostCommand): Outcome | null {
  const seen = state.idempotency.get(scopedKey(cmd.actor.host, cmd.key));
  if (!seen) return null;
  const original = state.conversations.get(seen.conversation)?.turns[seen.turn - 1];
  if (seen.conversation !== cmd.conversation || original?.author !== cmd.actor.session || original.body !== cmd.body) {
    throw new CrosstalkError(
      'IDEMPOTENCY_KEY_REUSED',
      `idempotency key ${cmd.key} was already used for turn ${seen.turn} of ${seen.conversation} with another request`,
    );
  }
  return { kind: 'duplicate', ...seen };
}

/** Open, at the turn the author read, and the author's turn (the moderator may always speak, also at the limit). */
function checkMayPost(c: Conversation, cmd: PostCommand): void {
  const author = cmd.actor.session;
  const isModerator = author === c.moderator;
  if (c.status === 'closed') throw new CrosstalkError('CONVERSATION_CLOSED', `${c.id} is closed`);
  if (c.status === 'converged') throw new CrosstalkError('CONVERSATION_CONVERGED', `${c.id} has converged`);
  const current = c.turns.length;
  if (!Number.isSafeInteger(cmd.expectedTurn) || cmd.expectedTurn !== current + 1) {
    const since = Number.isSafeInteger(cmd.expectedTurn) ? Math.max(0, Math.min(cmd.expectedTurn, current + 1) - 1) : current;
    throw new CrosstalkError('TURN_CONFLICT', `expected turn ${cmd.expectedTurn}, but the next turn of ${c.id} is ${current + 1}`, {
      hint: `read what changed (\`crosstalk read ${c.id} --since ${since}\`), then answer again with --expect-turn ${current + 1}`,
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
}

/** The proposal after this turn: a new one it makes, the standing one with its agreement, or the standing one. */
function proposalAfter(c: Conversation, cmd: PostCommand, turn: Turn): Proposal | null {
  const author = cmd.actor.session;
  if (cmd.propose !== undefined) {
    const text = cmd.propose.trim() === '' ? cmd.body : cmd.propose;
    checkBody(text, 'decision', LIMITS.resolutionBytes);
    turn.proposes = text;
    return { turn: turn.n, by: author, text, agreed: c.participants.includes(author) ? [author] : [] };
  }
  if (!cmd.agree) return c.proposal;
  if (!c.proposal) throw new CrosstalkError('NO_PROPOSAL', `there is no proposal in ${c.id} to agree with`);
  turn.agrees = c.proposal.turn;
  if (!c.participants.includes(author) || c.proposal.agreed.includes(author)) return c.proposal;
  return { ...c.proposal, agreed: [...c.proposal.agreed, author] };
}
