// The relay's state and its log, kept in step: every change is decided by core's rules, appended
// to the log (which gives it a seq) and folded into the state at once, so the next request
// decides against it. Answers wait until the change is durable.
import { applyEvent, emptyState, type PendingEvent, type Receipt, type RelayEvent, type RelayState } from '@crosstalk/core';
import { EventLog } from '../store/event-log.js';

export interface ReceiptView extends Receipt {
  seq: number;
  at: string;
}

/** Receipts kept per conversation for `GET /v1/conversations/:id/receipts`. */
const RECEIPTS_KEPT = 100;

export interface Committed {
  events: RelayEvent[];
  /** Resolves once the events are on disk. */
  durable: Promise<void>;
}

export class Ledger {
  readonly state: RelayState = emptyState();
  private readonly turnSeqs = new Map<string, number[]>();
  private readonly receipts = new Map<string, ReceiptView[]>();
  private readonly listeners: Array<(event: RelayEvent) => void> = [];
  private log!: EventLog;

  private constructor() {}

  /** Opens the log and folds every record into a fresh state. */
  static async open(file: string, options: { onFatal: (err: Error) => void; ringRecords?: number }): Promise<{ ledger: Ledger; tornBytes: number; records: number }> {
    const ledger = new Ledger();
    const { log, scan } = await EventLog.open({
      file,
      onFatal: options.onFatal,
      ...(options.ringRecords === undefined ? {} : { ringRecords: options.ringRecords }),
      // The relay wrote these records and their checksums hold: fold them without re-validating.
      onRecord: (record) => ledger.fold(record.event as RelayEvent),
    });
    ledger.log = log;
    return { ledger, tornBytes: scan.tornTail?.bytes ?? 0, records: scan.records };
  }

  get events(): EventLog {
    return this.log;
  }

  private fold(event: RelayEvent): void {
    applyEvent(this.state, event);
    switch (event.type) {
      case 'conversation.opened':
        this.turnSeqs.set(event.conversation.id, [event.seq]);
        break;
      case 'turn.posted': {
        const seqs = this.turnSeqs.get(event.conversation);
        if (seqs && seqs.length === event.turn.n - 1) seqs.push(event.seq);
        break;
      }
      case 'receipt': {
        let list = this.receipts.get(event.receipt.conversation);
        if (!list) this.receipts.set(event.receipt.conversation, (list = []));
        list.push({ ...event.receipt, seq: event.seq, at: event.at });
        if (list.length > RECEIPTS_KEPT) list.shift();
        break;
      }
      default:
        break;
    }
  }

  /** Logs and applies the events; they are durable when `durable` resolves. */
  commit(pending: readonly PendingEvent[]): Committed {
    const events = this.log.append(pending);
    for (const event of events) this.fold(event);
    for (const event of events) for (const listener of this.listeners) listener(event);
    return { events, durable: this.log.waitDurable(events[events.length - 1]?.seq ?? 0) };
  }

  /** Called synchronously for each committed event (not for those folded at start). */
  onCommit(listener: (event: RelayEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves once everything the state shows is on disk, so readers never see a change that could be lost. */
  settled(): Promise<void> {
    return this.log.waitDurable(this.log.headSeq);
  }

  /** Seq of the event that added turn `n` to the conversation. */
  turnSeq(conversation: string, n: number): number | undefined {
    return this.turnSeqs.get(conversation)?.[n - 1];
  }

  receiptsOf(conversation: string): readonly ReceiptView[] {
    return this.receipts.get(conversation) ?? [];
  }
}
