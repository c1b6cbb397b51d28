// The relay's state and its log, kept in step: every change is decided by core's rules, appended
// to the log (which gives it a seq) and folded into the state at once, so the next request
// decides against it. Answers wait until the change is durable. At start the state comes from
// a snapshot (when there is a sound one for this log) and the log records after it. The state holds
// no turn bodies: a turn is read from its log record (through a small cache) when a client reads it.
import { existsSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CrosstalkError,
  getConversation,
  type Conversation,
  type ConversationSummary,
  type PendingEvent,
  type RelayEvent,
  type RelayState,
  type Turn,
} from '@crosstalk/core';
import { EventLog } from '../store/event-log.js';
import { ByteLru } from '../store/lru.js';
import { readRecordAt } from '../store/record.js';
import { anchorHolds, readSnapshot, writeSnapshot } from '../store/snapshot.js';
import type { BuiltSnapshot } from '../store/snapshot-build.js';
import type { TurnLoader } from './conversations.js';
import { compactLedgerData, emptyLedgerData, foldEvent, foldReceipt, type LedgerData, type ReceiptView } from './fold.js';
import { turnCost, turnFromRecord } from './turn-record.js';
import { purgeRecord } from './purge.js';

export type { ReceiptView } from './fold.js';

export interface Committed {
  events: RelayEvent[];
  /** Resolves once the events are on disk. */
  durable: Promise<void>;
}

export interface LedgerOpenOptions {
  onFatal: (err: Error) => void;
  ringRecords?: number;
  /** Bytes of turns read back from the log kept for the next read (default 8 MiB). */
  turnCacheBytes?: number;
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

/** Building snapshots while the relay serves: every `every` durable events, in a worker thread. */
export interface SnapshotSchedule {
  path: string;
  epoch: string;
  every: number;
  onWritten(info: BuiltSnapshot & { ms: number }): void;
  onFailed(reason: string): void;
}

// Under the test runner this module is TypeScript; the worker always runs the built file. In the
// CLI's bundle (what the installed package holds) the worker sits beside this code.
const BUNDLED_WORKER = new URL('./snapshot-worker.js', import.meta.url);
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/store/snapshot-worker.js', import.meta.url)
  : existsSync(BUNDLED_WORKER)
    ? BUNDLED_WORKER
    : new URL('../store/snapshot-worker.js', import.meta.url);

/** Temp files of snapshot writes that never finished (a stop in the middle of one). */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  // The data dir is there (the lock is in it); a file another process removed first is fine.
  const gone = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  };
  const names = await readdir(dirname(path));
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => unlink(join(dirname(path), n)).catch(gone)));
}

/** Turns read back from the log, kept for the next reader. */
const TURN_CACHE_BYTES = 8 * 1024 * 1024;

export class Ledger {
  private readonly turns: ByteLru<number, Turn>;
  /** Reads a turn for the rules, which cannot wait (a repeated key compares bodies). */
  private readonly loadSync: TurnLoader = (seq, n) => this.cachedTurn(seq, n) ?? this.keep(seq, turnFromRecord(this.log.readOneSync(seq), n));
  private readonly readers = { record: (seq: number) => this.log.readOneSync(seq), turn: this.loadSync };
  private data: LedgerData = emptyLedgerData(this.readers);
  private readonly listeners: Array<(event: RelayEvent) => void> = [];
  private log!: EventLog;
  /** Seq of the newest snapshot on disk (0: none). */
  private snapshotSeq = 0;
  private schedule: SnapshotSchedule | null = null;
  private building: Worker | null = null;
  /** After a failed build, the next waits for another `every` events. */
  private failedAt = 0;

  private constructor(turnCacheBytes: number) {
    this.turns = new ByteLru(turnCacheBytes);
  }

  /** Opens the log and folds it into a fresh state, starting from a sound snapshot if there is one. */
  static async open(file: string, options: LedgerOpenOptions): Promise<LedgerOpened> {
    const ledger = new Ledger(options.turnCacheBytes ?? TURN_CACHE_BYTES);
    let snapshot: LedgerOpened['snapshot'] = null;
    if (options.snapshot) await removeStaleTemps(options.snapshot.path);
    const read = options.snapshot ? await readSnapshot(options.snapshot.path, options.snapshot.epoch, ledger.readers) : ({ found: false } as const);
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
      onRecord: (record) => foldEvent(ledger.data, record.event as RelayEvent, record.bodyBytes),
      bodyless: true,
      onReceipt: (seq, conversation) => foldReceipt(ledger.data, seq, conversation),
    });
    ledger.log = log;
    compactLedgerData(ledger.data);
    // Records of deleted conversations the log still holds are served as stubs.
    log.setReadFilter((json) => purgeRecord(json, ledger.data.purge));
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
    this.maybeBuildSnapshot();
    return { events, durable: this.log.waitDurable(events[events.length - 1]?.seq ?? 0) };
  }

  /** From now on, builds a snapshot in a worker thread each time `every` more events are durable. */
  scheduleSnapshots(schedule: SnapshotSchedule): void {
    this.schedule = schedule;
  }

  /** Stops scheduling, and stops a build in progress (its temp file is removed at the next start). */
  async stopSnapshots(): Promise<void> {
    this.schedule = null;
    const worker = this.building;
    this.building = null;
    if (worker) await worker.terminate();
  }

  private maybeBuildSnapshot(): void {
    const s = this.schedule;
    if (!s || this.building) return;
    const through = this.log.durableSeq;
    if (through - Math.max(this.snapshotSeq, this.failedAt) < s.every) return;
    const started = performance.now();
    const worker = new Worker(WORKER_URL, { workerData: { logFile: this.log.file, snapshotPath: s.path, epoch: s.epoch, through } });
    this.building = worker;
    // A build in progress does not keep a stopping relay alive.
    worker.unref();
    let answered = false;
    const failed = (reason: string) => {
      this.failedAt = through;
      s.onFailed(reason);
    };
    worker.once('message', (m: ({ ok: true } & BuiltSnapshot) | { ok: false; error: string }) => {
      answered = true;
      if (m.ok) {
        this.snapshotSeq = Math.max(this.snapshotSeq, m.seq);
        s.onWritten({ seq: m.seq, bytes: m.bytes, from: m.from, ms: Math.round(performance.now() - started) });
      } else {
        failed(m.error);
      }
    });
    worker.once('error', (err) => {
      answered = true;
      failed(err.message);
    });
    worker.once('exit', () => {
      if (this.building === worker) this.building = null;
      if (!answered && this.schedule) failed('the snapshot worker stopped');
    });
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
    const e = this.data.conversations.entry(conversation);
    return e ? this.data.conversations.turnSeq(e, n) : undefined;
  }

  private cachedTurn(seq: number, n: number): Turn | undefined {
    const t = this.turns.get(seq);
    return t?.n === n ? t : undefined;
  }

  private keep(seq: number, turn: Turn): Turn {
    this.turns.set(seq, turn, turnCost(turn));
    return turn;
  }

  /** Turn `n`, whole, read from the record of event `seq` (or the cache). */
  async readTurn(seq: number, n: number): Promise<Turn> {
    return this.cachedTurn(seq, n) ?? this.keep(seq, turnFromRecord(await this.log.readOne(seq), n));
  }

  /**
   * The conversation with its turns after `since`, bodies read from the log. Call it once
   * everything is durable (`settled`): a record is read back only from the file or the ring.
   */
  async readConversation(id: string, since = 0): Promise<Conversation> {
    const c = getConversation(this.data.state, id);
    const table = this.data.conversations;
    const e = table.entry(id);
    const count = e ? table.turnCount(e) : 0;
    const wanted = Array.from({ length: Math.max(0, count - since) }, (_, i) => since + i + 1);
    const turns = await Promise.all(wanted.map((n) => this.readTurn(table.turnSeq(e as NonNullable<typeof e>, n) as number, n)));
    return { ...c, turns };
  }

  /** The summary of one conversation, from memory alone: none of its turns is built or read. */
  summary(id: string): ConversationSummary {
    const e = this.data.conversations.entry(id);
    if (e) return this.data.conversations.summary(e);
    // Refused as everywhere else (a bad name, or no such conversation).
    getConversation(this.data.state, id);
    throw new CrosstalkError('CONVERSATION_NOT_FOUND', `no conversation ${id}`, { details: { conversation: id } });
  }

  /** The summary of every conversation, from memory alone. */
  *summaries(): Generator<ConversationSummary> {
    for (const e of this.data.conversations.allEntries()) yield this.data.conversations.summary(e);
  }

  /** The latest receipts of a conversation (at most 100), read from their records. */
  async receiptsOf(conversation: string): Promise<ReceiptView[]> {
    const seqs = this.data.receipts.get(conversation) ?? [];
    return Promise.all(
      seqs.map(async (seq) => {
        const event = JSON.parse(await this.log.readOne(seq)) as RelayEvent;
        if (event.type !== 'receipt') throw new CrosstalkError('INTERNAL', `log record ${seq} is not a receipt`);
        return { ...event.receipt, seq: event.seq, at: event.at };
      }),
    );
  }

  /** The folded data, for quotas at start. */
  get folded(): Readonly<LedgerData> {
    return this.data;
  }

  /** Deleted conversations whose content the log file still holds (what compaction would remove). */
  get purgePending(): number {
    return this.data.purge.size;
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
