// The durable, append-only event log. Appends get their seq at once; they are written and
// fsynced in batches (group commit: while one fsync runs, new records queue for the next one),
// and only then count as durable. Readers see durable records only.
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { CrosstalkError, type PendingEvent, type RelayEvent } from '@crosstalk/core';
import { logCorrupt, openLogFile, type OpenLogOptions } from './open-log.js';
import { checkLine, encodeRecord, readRecordSpan } from './record.js';
import type { OffsetIndex, RecordRing } from './ring.js';
import type { ScanResult } from './scan.js';
import { DurableWaiters } from './waiters.js';

export interface EventLogOptions extends OpenLogOptions {
  /** Called once when the log can no longer be written; the relay must stop. */
  onFatal?: (err: Error) => void;
}

export interface LogStats {
  writes: number;
  syncs: number;
}

/** Records put back into memory at start (the rest is read from the file on demand). */
const RING_PRELOAD = 1024;

export class EventLog {
  readonly stats: LogStats = { writes: 0, syncs: 0 };
  private head = 0;
  private durable = 0;
  /** Bytes in the file once everything queued is written. */
  private logicalEnd: number;
  /** Bytes durably in the file. */
  private writtenEnd: number;
  private queue: Buffer[] = [];
  /** Records appended and not yet durable, by seq: a reader finds them here even when the ring has let them go. */
  private readonly unsynced = new Map<number, string>();
  private queuedBytes = 0;
  private readonly waiters = new DurableWaiters();
  private flushing: Promise<void> | null = null;
  private flushScheduled = false;
  private readsInFlight = new Set<Promise<unknown>>();
  private failure: Error | null = null;
  private closed = false;
  /** Applied to each record readers get: the ledger's way of keeping deleted content out of answers. */
  private readFilter: ((json: string) => string) | null = null;

  private constructor(
    readonly file: string,
    private readonly fh: FileHandle,
    private readonly ring: RecordRing,
    private readonly offsets: OffsetIndex,
    scan: ScanResult,
    private readonly onFatal: (err: Error) => void,
  ) {
    this.head = scan.lastSeq;
    this.durable = scan.lastSeq;
    this.logicalEnd = scan.goodEnd;
    this.writtenEnd = scan.goodEnd;
  }

  /** Opens (creating if needed) and checks the log; truncates a torn tail; refuses damage. */
  static async open(options: EventLogOptions): Promise<{ log: EventLog; scan: ScanResult }> {
    const { fh, ring, offsets, scan } = await openLogFile(options);
    const log = new EventLog(options.file, fh, ring, offsets, scan, options.onFatal ?? (() => {}));
    await log.preloadTail(RING_PRELOAD);
    return { log, scan };
  }

  /** Puts the last `count` records of the file into the ring, for clients reconnecting after a restart. */
  private async preloadTail(count: number): Promise<void> {
    const from = Math.max(1, this.head - count + 1);
    if (this.head === 0) return;
    const records = await this.readFromFile(from, this.head, Number.MAX_SAFE_INTEGER);
    this.ring.resetAfter(from - 1);
    for (const [i, json] of records.entries()) this.ring.push(from + i, json);
  }

  /** Seq of the last appended event (maybe not yet durable). */
  get headSeq(): number {
    return this.head;
  }

  /** Seq of the last event on disk. */
  get durableSeq(): number {
    return this.durable;
  }

  /** Where the durable record `seq` lies in the file: its line's byte offset and length. */
  recordSpan(seq: number): { offset: number; bytes: number } {
    if (seq < 1 || seq > this.durable) throw new RangeError(`no durable record ${seq}`);
    const offset = this.offsets.of(seq);
    return { offset, bytes: this.endOf(seq) - offset };
  }

  get failed(): Error | null {
    return this.failure;
  }

  /**
   * Gives the events their seqs, serializes each once, and queues them for the next write.
   * Returns the events as they will be logged; `waitDurable` tells when they are on disk.
   */
  append(pending: readonly PendingEvent[]): RelayEvent[] {
    if (this.failure) throw new CrosstalkError('INTERNAL', `the relay log cannot be written: ${this.failure.message}`);
    if (this.closed) throw new CrosstalkError('SHUTTING_DOWN');
    const events: RelayEvent[] = [];
    for (const p of pending) {
      const event: RelayEvent = { seq: this.head + 1, ...p };
      const json = JSON.stringify(event);
      const line = encodeRecord(json);
      this.head = event.seq;
      this.offsets.push(this.logicalEnd);
      this.logicalEnd += line.length;
      this.ring.push(event.seq, json);
      this.unsynced.set(event.seq, json);
      this.queue.push(line);
      this.queuedBytes += line.length;
      events.push(event);
    }
    this.scheduleFlush();
    return events;
  }

  /** Resolves once every event up to `seq` is on disk. */
  waitDurable(seq: number = this.head): Promise<void> {
    if (seq <= this.durable) return Promise.resolve();
    if (this.failure) return Promise.reject(new CrosstalkError('INTERNAL', `the relay log cannot be written: ${this.failure.message}`));
    return this.waiters.wait(seq);
  }

  /** Resolves at the next durable advance, failure or close: a cue for readers to look again. */
  nextChange(): Promise<void> {
    return this.waiters.nextChange();
  }

  get isClosed(): boolean {
    return this.closed || this.failure !== null;
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushScheduled) return;
    this.flushScheduled = true;
    // Appends made in the same turn of the event loop join one write and one fsync.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushing = this.flushLoop().finally(() => {
        this.flushing = null;
        if (this.queue.length > 0 && !this.failure) this.scheduleFlush();
      });
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0 && !this.failure) {
      const batch = this.queue;
      const bytes = this.queuedBytes;
      const lastSeq = this.head;
      this.queue = [];
      this.queuedBytes = 0;
      try {
        const data = batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, bytes);
        let done = 0;
        while (done < data.length) {
          const { bytesWritten } = await this.fh.write(data, done, data.length - done, this.writtenEnd + done);
          done += bytesWritten;
        }
        this.stats.writes++;
        await this.fh.datasync();
        this.stats.syncs++;
        this.writtenEnd += data.length;
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      for (let seq = this.durable + 1; seq <= lastSeq; seq++) this.unsynced.delete(seq);
      this.durable = lastSeq;
      this.waiters.release(lastSeq);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.waiters.failAll(new CrosstalkError('INTERNAL', `the relay log cannot be written: ${err.message}`, { cause: err }));
    this.onFatal(err);
  }

  /** From now on every record `read` returns passes through `filter` (null: none). */
  setReadFilter(filter: ((json: string) => string) | null): void {
    this.readFilter = filter;
  }

  /** Durable events after `after`, serialized: at most `maxCount`, about `maxBytes` (at least one); recent ones from memory. */
  async read(after: number, maxCount: number, maxBytes: number): Promise<string[]> {
    const records = await this.readUnfiltered(after, maxCount, maxBytes);
    const filter = this.readFilter;
    return filter ? records.map(filter) : records;
  }

  private async readUnfiltered(after: number, maxCount: number, maxBytes: number): Promise<string[]> {
    const last = Math.min(this.durable, after + maxCount);
    if (after >= last) return [];
    const from = after + 1;
    if (from >= this.ring.start) {
      const out: string[] = [];
      let bytes = 0;
      for (let seq = from; seq <= last; seq++) {
        const json = this.ring.get(seq) as string;
        if (out.length > 0 && bytes + json.length > maxBytes) break;
        out.push(json);
        bytes += json.length;
      }
      return out;
    }
    if (this.closed) throw new CrosstalkError('SHUTTING_DOWN');
    const reading = this.readFromFile(from, Math.min(last, this.ring.start - 1), maxBytes);
    this.readsInFlight.add(reading);
    try {
      return await reading;
    } finally {
      this.readsInFlight.delete(reading);
    }
  }

  /** The JSON of record `seq`, which must be appended: from memory when it is recent or not yet durable, else from the file. */
  async readOne(seq: number): Promise<string> {
    const recent = this.ring.get(seq) ?? this.unsynced.get(seq);
    if (recent !== undefined) return recent;
    this.checkReadable(seq);
    const reading = readRecordSpan(this.fh, this.offsets.of(seq), this.endOf(seq));
    this.readsInFlight.add(reading);
    try {
      const records = await reading;
      if (!Array.isArray(records)) throw logCorrupt(this.file, records.bad, records.reason);
      return records[0] as string;
    } finally {
      this.readsInFlight.delete(reading);
    }
  }

  /** readOne without waiting: for the rare rule that needs a turn's body while it decides. */
  readOneSync(seq: number): string {
    const recent = this.ring.get(seq) ?? this.unsynced.get(seq);
    if (recent !== undefined) return recent;
    this.checkReadable(seq);
    const start = this.offsets.of(seq);
    const buf = Buffer.allocUnsafe(this.endOf(seq) - start);
    for (let got = 0; got < buf.length; ) {
      const n = readSync(this.fh.fd, buf, got, buf.length - got, start + got);
      if (n === 0) throw logCorrupt(this.file, start + got, 'the file is shorter than the records it held');
      got += n;
    }
    const line = checkLine(buf, 0, buf.length - 1);
    if (!line.ok) throw logCorrupt(this.file, start, line.reason);
    return line.json;
  }

  private checkReadable(seq: number): void {
    if (this.closed) throw new CrosstalkError('SHUTTING_DOWN');
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.durable) throw new CrosstalkError('INTERNAL', `log record ${seq} is not on disk`);
  }

  private endOf(seq: number): number {
    return seq < this.offsets.size ? this.offsets.of(seq + 1) : this.writtenEnd;
  }

  private async readFromFile(from: number, last: number, maxBytes: number): Promise<string[]> {
    const start = this.offsets.of(from);
    let to = from;
    while (to < last && this.endOf(to + 1) - start <= maxBytes) to++;
    const records = await readRecordSpan(this.fh, start, this.endOf(to));
    if (!Array.isArray(records)) throw logCorrupt(this.file, records.bad, records.reason);
    return records;
  }

  /** Writes and fsyncs everything queued, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing || this.flushScheduled || (this.queue.length > 0 && !this.failure)) {
      if (this.flushing) await this.flushing;
      else await new Promise((r) => setImmediate(r));
    }
    this.closed = true;
    this.waiters.signalChange();
    await Promise.allSettled([...this.readsInFlight]);
    await this.fh.close();
  }
}
