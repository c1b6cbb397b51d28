// What the relay folds from its log: core's state, with the conversations kept without what
// their turns say (conversations.ts), the seqs of each conversation's latest receipts, and what
// each host's turns weigh (usage.ts). One fold, shared by the live ledger, the replay at start
// and snapshots. Nothing folded holds a body: bodies are read from the log when asked for.
import { applyEvent, emptyState, type ReceiptRecord, type RelayEvent, type RelayState } from '@crosstalk/core';
import { ConversationTable, isConversationEvent, type TurnLoader } from './conversations.js';
import { turnBytes } from '../limits/quotas.js';
import { IdempotencyIndex, type RecordReader } from './idempotency.js';
import { turnFromRecord } from './turn-record.js';
import { TurnUsage } from './usage.js';

/** A receipt with the seq and time of its event, as `GET …/receipts` answers it. */
export type ReceiptView = ReceiptRecord;

/** Receipts kept per conversation for `GET /v1/conversations/:id/receipts`. */
export const RECEIPTS_KEPT = 100;

export interface LedgerData {
  /** Core's state; its `conversations` is a ConversationTable. */
  state: RelayState;
  conversations: ConversationTable;
  /** Core's `idempotency`, kept as hashes and seqs. */
  idempotency: IdempotencyIndex;
  /** Seqs of the latest receipt events, by conversation, oldest first. */
  receipts: Map<string, number[]>;
  usage: TurnUsage;
  /** Deleted conversations whose records the log still holds (until compaction); served as stubs. */
  purge: Set<string>;
}

/** How folded data reads records back from the log; a fold without a log (a snapshot build) never reads. */
export interface LogReaders {
  record: RecordReader;
  /** Defaults to parsing `record`'s answer. */
  turn?: TurnLoader;
}

const noLog: LogReaders = {
  record: (seq) => {
    throw new Error(`log record ${seq} cannot be read here`);
  },
};

export function emptyLedgerData(readers: LogReaders = noLog): LedgerData {
  const conversations = new ConversationTable(readers.turn ?? ((seq, n) => turnFromRecord(readers.record(seq), n)));
  const idempotency = new IdempotencyIndex(readers.record);
  return { state: { ...emptyState(), conversations, idempotency }, conversations, idempotency, receipts: new Map(), usage: new TurnUsage(), purge: new Set() };
}

/**
 * Folds one event. `bodyBytes`, when given, is what the turn's body weighs: the event was read with
 * its body cut out (see store/turn-body.ts).
 */
export function foldEvent(data: LedgerData, event: RelayEvent, bodyBytes?: number): void {
  const { state } = data;
  if (event.seq <= state.seq) return;
  if (event.type === 'conversation.deleted') {
    foldDeletion(data, event.conversation);
    state.seq = event.seq;
  } else if (!isConversationEvent(event)) {
    applyEvent(state, event);
  } else {
    data.conversations.apply(event, data.idempotency);
    state.seq = event.seq;
  }
  switch (event.type) {
    case 'conversation.opened': {
      const first = event.conversation.turns[0];
      if (first) data.conversations.addBytes(event.conversation.id, first.host, data.usage.count(first.host, bodyBytes ?? turnBytes(first), event.at));
      break;
    }
    case 'turn.posted':
      data.conversations.addBytes(event.conversation, event.turn.host, data.usage.count(event.turn.host, bodyBytes ?? turnBytes(event.turn), event.at));
      break;
    case 'receipt':
      keepReceipt(data, event.receipt.conversation, event.seq);
      break;
    case 'conversation.closed': {
      // Its receipts are (nearly) all in: the list is trimmed now, while the copy it replaces is young.
      const list = data.receipts.get(event.conversation);
      if (list) data.receipts.set(event.conversation, list.slice());
      break;
    }
    default:
      break;
  }
}

/**
 * A tombstone: the conversation leaves the state at once, what the relay kept of it beside the
 * state goes, its turns stop counting against their hosts' stored bytes, and the records the log
 * still holds of it are served as stubs (purge.ts) until compaction.
 */
function foldDeletion(data: LedgerData, id: string): void {
  const entry = data.conversations.entry(id);
  if (!entry) return;
  data.purge.add(id);
  data.receipts.delete(id);
  data.usage.release(entry.hostBytes);
  data.conversations.remove(id);
}

function keepReceipt(data: LedgerData, conversation: string, seq: number): void {
  let list = data.receipts.get(conversation);
  // Keyed by the conversation's own id string: a receipt read from its bytes brings a copy of it.
  if (!list) data.receipts.set(data.conversations.entry(conversation)?.meta.id ?? conversation, (list = []));
  list.push(seq);
  if (list.length > RECEIPTS_KEPT) list.shift();
}

/** Folds a receipt known by its seq and conversation alone (read from its record's bytes): a receipt changes nothing else. */
export function foldReceipt(data: LedgerData, seq: number, conversation: string): void {
  if (seq <= data.state.seq) return;
  data.state.seq = seq;
  keepReceipt(data, conversation, seq);
}

/** After a replay: every growing array given exactly the room it uses (arrays grown one push at a time keep a third more). */
export function compactLedgerData(data: LedgerData): void {
  data.conversations.trim();
  // Closed conversations' lists were trimmed when they closed.
  for (const [id, list] of data.receipts) if (data.conversations.entry(id)?.meta.status !== 'closed') data.receipts.set(id, list.slice());
}
