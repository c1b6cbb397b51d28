// A wake-up receipt reported by a host agent, over HTTP or its link. Pure: checks, then the event;
// and whether the same receipt is already logged (an agent that lost the answer sends it again).
import { checkActingSession, getConversation, type PendingEvent, type ReceiptBody, type RelayState } from '@crosstalk/core';
import type { ReceiptView } from './fold.js';

/** How many of a conversation's latest receipts a repeated one is looked for among. */
export const SAME_RECEIPT_LOOKBACK = 8;

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

/**
 * The seq of a receipt in `latest` with the same content (host, session, turn, attempt, status,
 * reason): a receipt carries no key, but its attempt number makes it unique, so one sent again
 * after a relay restart lost its answer is answered with the first one's seq, not logged twice.
 */
export function sameReceipt(latest: readonly ReceiptView[], host: string, body: ReceiptBody): number | null {
  for (let i = latest.length - 1; i >= 0; i--) {
    const r = latest[i] as ReceiptView;
    if (
      r.host === host &&
      r.session === body.session &&
      r.conversation === body.conversation &&
      r.turn === body.turn &&
      r.attempt === body.attempt &&
      r.status === body.status &&
      r.reason === body.reason
    ) {
      return r.seq;
    }
  }
  return null;
}
