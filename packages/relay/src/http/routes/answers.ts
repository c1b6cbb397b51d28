// How a decided outcome is answered: committed, and answered only once durable, with the
// conversation as it now stands. A repeated idempotency key gets the original turn, just as
// durable as the first answer was. The same answers go out over HTTP and over an agent's link.
import { CrosstalkError, type ModerateAnswer, type Outcome, type PostAnswer, type Turn } from '@crosstalk/core';
import type { Ledger } from '../../state/ledger.js';

interface TurnRef {
  conversation: string;
  n: number;
  seq: number;
  /** The turn itself when it was just made; a repeated one is read back from the log. */
  turn?: Turn;
}

/** An answer and the HTTP status it goes with. */
export interface Answered<T> {
  status: number;
  answer: T;
}

/** Commits the events of an open or a post and waits for them; the turn they made. */
async function commitTurn(ledger: Ledger, events: Extract<Outcome, { kind: 'events' }>['events']): Promise<TurnRef> {
  const committed = ledger.commit(events);
  await committed.durable;
  const event = committed.events[0];
  const first = event?.type === 'conversation.opened' ? event.conversation.turns[0] : undefined;
  if (event?.type === 'conversation.opened' && first) return { conversation: event.conversation.id, n: 1, seq: event.seq, turn: first };
  if (event?.type === 'turn.posted') return { conversation: event.conversation, n: event.turn.n, seq: event.seq, turn: event.turn };
  throw new CrosstalkError('INTERNAL', 'a turn produced no turn event');
}

/** The turn a repeated key made the first time, once it is as durable as its first answer. */
async function originalTurn(ledger: Ledger, conversation: string, n: number): Promise<TurnRef> {
  // The original may still be on its way to disk: answer with the same durability.
  const original = ledger.turnSeq(conversation, n);
  await (original === undefined ? ledger.settled() : ledger.events.waitDurable(original));
  return { conversation, n, seq: original ?? 0 };
}

/** Answers an open or a post: 201 with the new turn, or 200 with the original for a repeated key. */
export async function answerTurn(ledger: Ledger, outcome: Outcome): Promise<Answered<PostAnswer>> {
  const duplicate = outcome.kind === 'duplicate';
  const ref = outcome.kind === 'events' ? await commitTurn(ledger, outcome.events) : await originalTurn(ledger, outcome.conversation, outcome.turn);
  // The summary comes from memory: building the conversation would make an object per turn.
  const conversation = ledger.summary(ref.conversation);
  const seq = ledger.turnSeq(ref.conversation, ref.n);
  if (seq === undefined) throw new CrosstalkError('INTERNAL', `turn ${ref.n} of ${ref.conversation} is not in the state`);
  const turn = ref.turn ?? (await ledger.readTurn(seq, ref.n));
  return { status: duplicate ? 200 : 201, answer: { conversation, turn, seq: ref.seq, duplicate } };
}

/** Answers a moderation or a close, which always changes the conversation. */
export async function answerChange(ledger: Ledger, outcome: Outcome): Promise<Answered<ModerateAnswer>> {
  if (outcome.kind !== 'events') throw new CrosstalkError('INTERNAL', 'moderation produced no change');
  const { events, durable } = ledger.commit(outcome.events);
  await durable;
  const event = events[0];
  if (!event || !('conversation' in event) || typeof event.conversation !== 'string')
    throw new CrosstalkError('INTERNAL', 'moderation produced no conversation event');
  return { status: 200, answer: { conversation: ledger.summary(event.conversation), seq: event.seq } };
}
