// The relay's state and its log, kept in step: every change is decided by core's rules, appended
// to the log (which gives it a seq) and folded into the state at once, so the next request
// decides against it. Answers wait until the change is durable. At start the state comes from
// a snapshot (when there is a sound one for this log) and the log records after it.
import type { PendingEvent, RelayEvent, RelayState } from '@crosstalk/core';
import { EventLog } from '../store/event-log.js';
import { readRecordAt } from '../store/record.js';
import { readSnapshot, writeSnapshot, type SnapshotAnchor } from '../store/snapshot.js';
import { emptyLedgerData, foldEvent, type LedgerData, type ReceiptView } from './fold.js';

export type { ReceiptView } from './fold.js';

export interface Committed {
  events: RelayEvent[];
  /** Resolves once the events are on disk. */
  durable: Promise<void>;
}

export interface LedgerOpenOptions {
  onFatal: (err: Error) => void;
  ringRecords?: number;
  /** Where snapshots live, and the epoch they must belong to; without it the whole log is folded. */
  snapshot?: { path: string; epoch: string };
}

export interface LedgerOpened {
  ledger: Ledger;
  tornBytes: number;
  records: number;
  /** The snapshot the state started from, or why there was none to use. */
  snapshot: { seq: number } | { ignored: string } | null;
}

/** Whether the record named by a snapshot is in the log, exactly where and as the snapshot says. */
async function anchorHolds(file: string, anchor: SnapshotAnchor): Promise<boolean> {
  const record = await readRecordAt(file, anchor.offset, anchor.bytes);
  return record !== null && record.seq === anchor.seq && record.crc === anchor.crc;
}

export class Ledger {
  private data: LedgerData = emptyLedgerData();
  private readonly listeners: Array<(event: RelayEvent) => void> = [];
  private log!: EventLog;
  /** Seq of the newest snapshot on disk (0: none). */
  private snapshotSeq = 0;

  private constructor() {}

  /** Opens the log and folds it into a fresh state, starting from a sound snapshot if there is one. */
  static async open(file: string, options: LedgerOpenOptions): Promise<LedgerOpened> {
    const ledger = new Ledger();
    let snapshot: LedgerOpened['snapshot'] = null;
    const read = options.snapshot ? await readSnapshot(options.snapshot.path, options.snapshot.epoch) : ({ found: false } as const);
    if (read.found && 'ignored' in read) {
      snapshot = { ignored: read.ignored };
    } else if (read.found) {
      if (await anchorHolds(file, read.anchor)) {
        ledger.data = read.data;
        ledger.snapshotSeq = read.anchor.seq;
        snapshot = { seq: read.anchor.seq };
      } else {
        snapshot = { ignored: `the log does not hold the record the snapshot was taken at (seq ${read.anchor.seq})` };
      }
    }
    const { log, scan } = await EventLog.open({
      file,
      onFatal: options.onFatal,
      ...(options.ringRecords === undefined ? {} : { ringRecords: options.ringRecords }),
      skipThrough: ledger.snapshotSeq,
      // The relay wrote these records and their checksums hold: fold them without re-validating.
      onRecord: (record) => foldEvent(ledger.data, record.event as RelayEvent),
    });
    ledger.log = log;
    return { ledger, tornBytes: scan.tornTail?.bytes ?? 0, records: scan.records, snapshot };
  }

  get state(): RelayState {
    return this.data.state;
  }

  get events(): EventLog {
    return this.log;
  }

  /** Logs and applies the events; they are durable when `durable` resolves. */
  commit(pending: readonly PendingEvent[]): Committed {
    const events = this.log.append(pending);
    for (const event of events) foldEvent(this.data, event);
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
    return this.data.turnSeqs.get(conversation)?.[n - 1];
  }

  receiptsOf(conversation: string): readonly ReceiptView[] {
    return this.data.receipts.get(conversation) ?? [];
  }

  /** Events folded since the newest snapshot on disk. */
  get sinceSnapshot(): number {
    return this.log.durableSeq - this.snapshotSeq;
  }

  /**
   * Writes a snapshot of the state. Only once everything is durable and nothing else changes the
   * state (the relay does it when it stops): the snapshot must be exactly the log's prefix.
   */
  async writeSnapshot(path: string, epoch: string): Promise<{ seq: number; bytes: number } | null> {
    const seq = this.log.durableSeq;
    if (seq === 0 || this.log.headSeq !== seq) return null;
    const span = this.log.recordSpan(seq);
    const record = await readRecordAt(this.log.file, span.offset, span.bytes);
    if (!record || record.seq !== seq) return null;
    const { bytes } = await writeSnapshot(path, this.data, epoch, { seq, offset: span.offset, bytes: span.bytes, crc: record.crc });
    this.snapshotSeq = seq;
    return { seq, bytes };
  }
}
