// A wake-up receipt reported by a host agent, over HTTP or its link. Pure: checks, then the event.
import { checkActingSession, getConversation, type PendingEvent, type ReceiptBody, type RelayState } from '@crosstalk/core';

/** The receipt's session must belong to `host` and its conversation must exist. */
export function receiptEvent(state: RelayState, host: string, body: ReceiptBody, at: string): PendingEvent {
  checkActingSession(state, { kind: 'session', session: body.session, host });
  getConversation(state, body.conversation);
  const receipt = {
    session: body.session,
    host,
    conversation: body.conversation,
    turn: body.turn,
    status: body.status,
    ...(body.reason === undefined ? {} : { reason: body.reason }),
    attempt: body.attempt,
  };
  return { type: 'receipt', at, receipt };
}
