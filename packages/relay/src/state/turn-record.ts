// The one place a turn is read back from its log record: the relay keeps where each turn's
// record is (its seq), never the turn itself. A record is `conversation.opened` (turn 1 is in the
// conversation it opens) or `turn.posted`.
import { CrosstalkError, parseJson, type RelayEvent, type Turn } from '@crosstalk/core';

/** Turn `n` as the record `json` holds it. */
export function turnFromRecord(json: string, n: number): Turn {
  const event = parseJson(json) as RelayEvent | undefined;
  if (event?.type === 'turn.posted' && event.turn.n === n) return event.turn;
  if (event?.type === 'conversation.opened' && n === 1 && event.conversation.turns[0]) return event.conversation.turns[0];
  throw new CrosstalkError('INTERNAL', `log record ${event?.seq ?? '?'} does not hold turn ${n}`);
}

/** Bytes a cached turn is counted as (UTF-16 strings, plus the object). */
export function turnCost(t: Turn): number {
  return 2 * (t.body.length + (t.proposes?.length ?? 0)) + 256;
}
