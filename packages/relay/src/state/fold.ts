// What the relay folds from its log: core's state, plus the seq of every turn (for answering a
// repeated post with the original) and the latest receipts of each conversation. One pure fold,
// shared by the live ledger, the replay at start and snapshots.
import { applyEvent, emptyState, type ReceiptRecord, type RelayEvent, type RelayState } from '@crosstalk/core';
import { foldRemoval } from './purge.js';

/** A receipt with the seq and time of its event, as `GET …/receipts` answers it. */
export type ReceiptView = ReceiptRecord;

/** Receipts kept per conversation for `GET /v1/conversations/:id/receipts`. */
const RECEIPTS_KEPT = 100;

export interface LedgerData {
  state: RelayState;
  /** Seq of the event that added each turn, by conversation (index n - 1). */
  turnSeqs: Map<string, number[]>;
  receipts: Map<string, ReceiptView[]>;
  /** Deleted conversations whose records the log still holds (until compaction); served as stubs. */
  purge: Set<string>;
}

export function emptyLedgerData(): LedgerData {
  return { state: emptyState(), turnSeqs: new Map(), receipts: new Map(), purge: new Set() };
}

export function foldEvent(data: LedgerData, event: RelayEvent): void {
  foldRemoval(data, event);
  applyEvent(data.state, event);
  switch (event.type) {
    case 'conversation.opened':
      data.turnSeqs.set(event.conversation.id, [event.seq]);
      break;
    case 'turn.posted': {
      const seqs = data.turnSeqs.get(event.conversation);
      if (seqs && seqs.length === event.turn.n - 1) seqs.push(event.seq);
      break;
    }
    case 'receipt': {
      let list = data.receipts.get(event.receipt.conversation);
      if (!list) data.receipts.set(event.receipt.conversation, (list = []));
      list.push({ ...event.receipt, seq: event.seq, at: event.at });
      if (list.length > RECEIPTS_KEPT) list.shift();
      break;
    }
    default:
      break;
  }
}
