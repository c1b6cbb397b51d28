// Reads a log file front to back, checking every record, and says where the good part ends.
// It never changes the file: the caller decides whether to refuse, truncate a torn tail, or
// (on explicit request) repair.
import { openIfPresent } from '../datadir/files.js';
import { parseJson } from '@crosstalk/core';
import { ReadAhead } from './read-ahead.js';
import { receiptConversation } from './receipt-bytes.js';
import { checkLine, leadingSeq, NEWLINE, RECORD_PREFIX_BYTES, verifyLine } from './record.js';
import { elidedTurnHolds, turnBodySpan } from './turn-body.js';

export interface ScannedRecord {
  seq: number;
  /** The parsed event (checked only for its seq: the relay wrote it). */
  event: { seq: number; type: string };
  json: string;
  offset: number;
  bytes: number;
  /** With `bodyless`, a turn record's body bytes: its event (and `json`) then hold the body as empty. */
  bodyBytes?: number;
}

export interface Damage {
  offset: number;
  reason: string;
}

export interface ScanResult {
  records: number;
  lastSeq: number;
  /** Byte offset just after the last good record. */
  goodEnd: number;
  fileSize: number;
  /** An incomplete last line: a write that never finished, so never acknowledged. */
  tornTail: { offset: number; bytes: number } | null;
  /** The first damaged record, if any; nothing after it was read. */
  damage: Damage | null;
}

const CHUNK_BYTES = 256 * 1024;
/** `{"seq":` */
const SEQ_KEY_BYTES = 7;
/** No record comes near this; a "line" this long is damage, not a record. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const EMPTY_LOG: ScanResult = { records: 0, lastSeq: 0, goodEnd: 0, fileSize: 0, tornTail: null, damage: null };

function parseRecord(json: string, expectedSeq: number): { event: ScannedRecord['event'] } | { reason: string } {
  const value = parseJson(json);
  if (value === undefined) return { reason: 'the record is not valid JSON' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'the record is not a JSON object' };
  const { seq, type } = value as { seq?: unknown; type?: unknown };
  if (typeof type !== 'string') return { reason: 'the record has no event type' };
  if (seq !== expectedSeq) return { reason: `the record has seq ${String(seq)} where ${expectedSeq} was expected` };
  return { event: value as ScannedRecord['event'] };
}

export interface ScanOptions {
  /** Records up to this seq are only checked (checksum, seq, offset): a snapshot holds their state. */
  skipThrough?: number;
  /** Called for each record that is only checked. */
  onSkipped?: (offset: number) => void;
  /** Stop after this seq, as if the file ended there (a log that is still being appended to). */
  stopAfter?: number;
  /**
   * Takes a receipt record as its seq and conversation, read from its bytes without parsing it
   * (see receipt-bytes.ts), instead of onRecord.
   */
  onReceipt?: (seq: number, conversation: string, offset: number, bytes: number) => void;
  /**
   * Hands turn records to onRecord with the body's text cut out and its UTF-8 bytes in
   * `bodyBytes` (see turn-body.ts): what a fold needs, without a string per body.
   */
  bodyless?: boolean;
}

/**
 * Scans `file` (a missing file is an empty log), calling `onRecord` for each good record in order
 * (after `skipThrough`, `onSkipped` for those before).
 */
export async function scanLog(file: string, onRecord: (record: ScannedRecord) => void, options: ScanOptions = {}): Promise<ScanResult> {
  const fh = await openIfPresent(file);
  if (!fh) return EMPTY_LOG;
  try {
    const fileSize = (await fh.stat()).size;
    const chunkBytes = Math.min(CHUNK_BYTES, Math.max(fileSize, 1));
    const lines = new LogLines(fileSize, chunkBytes, onRecord, options);
    const reader = new ReadAhead(fh, chunkBytes);
    for (;;) {
      if (lines.unfinishedBytes >= MAX_LINE_BYTES)
        return lines.result({ damage: { offset: lines.goodEnd, reason: 'a line is longer than any record can be' } });
      const chunk = await reader.next();
      if (chunk.length === 0) return lines.atEnd();
      lines.append(chunk);
      const ended = lines.takeLines();
      if (ended) return ended;
    }
  } finally {
    await fh.close();
  }
}

/** The lines of the log as they arrive in chunks: whole ones checked in order, the unfinished one kept. */
class LogLines {
  private buf: Buffer;
  /** File offset of buf[0]: everything before it was good. */
  private bufOffset = 0;
  private filled = 0;
  private lastSeq = 0;
  private records = 0;
  private readonly skipThrough: number;
  private readonly stopAfter: number;

  constructor(
    private readonly fileSize: number,
    chunkBytes: number,
    private readonly onRecord: (record: ScannedRecord) => void,
    private readonly options: ScanOptions,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.skipThrough = options.skipThrough ?? 0;
    this.stopAfter = options.stopAfter ?? Number.POSITIVE_INFINITY;
  }

  get unfinishedBytes(): number {
    return this.filled;
  }

  get goodEnd(): number {
    return this.bufOffset;
  }

  result(extra: Partial<ScanResult>): ScanResult {
    return { records: this.records, lastSeq: this.lastSeq, goodEnd: this.bufOffset, fileSize: this.fileSize, tornTail: null, damage: null, ...extra };
  }

  /** Adds a chunk after the unfinished line kept from the last one (copied: the chunk's buffer is read into again). */
  append(chunk: Buffer): void {
    if (this.filled + chunk.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.filled + chunk.length));
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
    chunk.copy(this.buf, this.filled);
    this.filled += chunk.length;
  }

  /** Checks every whole line held; a result when the scan ends among them, else null. */
  takeLines(): ScanResult | null {
    let lineStart = 0;
    for (;;) {
      const nl = this.buf.indexOf(NEWLINE, lineStart);
      if (nl === -1 || nl >= this.filled) break;
      const offset = this.bufOffset + lineStart;
      const damage = this.lastSeq < this.skipThrough ? this.skipLine(lineStart, nl, offset) : this.readLine(lineStart, nl, offset);
      if (damage !== null) return this.result({ goodEnd: offset, damage: { offset, reason: damage } });
      lineStart = nl + 1;
      if (this.lastSeq >= this.stopAfter) return this.result({ goodEnd: this.bufOffset + lineStart });
    }
    // Keep the unfinished line at the front of the buffer.
    this.buf.copy(this.buf, 0, lineStart, this.filled);
    this.bufOffset += lineStart;
    this.filled -= lineStart;
    return null;
  }

  /** A record a snapshot covers: checksum and seq only. Why it is damaged, or null. */
  private skipLine(start: number, nl: number, offset: number): string | null {
    const checked = verifyLine(this.buf, start, nl);
    if (!checked.ok) return checked.reason;
    let seq = leadingSeq(this.buf, start, nl);
    if (seq === null) {
      const parsed = parseRecord(this.buf.toString('utf8', start + RECORD_PREFIX_BYTES, nl), this.lastSeq + 1);
      if ('reason' in parsed) return parsed.reason;
      seq = parsed.event.seq;
    }
    if (seq !== this.lastSeq + 1) return `the record has seq ${seq} where ${this.lastSeq + 1} was expected`;
    this.options.onSkipped?.(offset);
    this.lastSeq = seq;
    this.records++;
    return null;
  }

  /** A record to hand to onRecord, whole (or a receipt to onReceipt). Why it is damaged (or does not apply), or null. */
  private readLine(start: number, nl: number, offset: number): string | null {
    const checked = verifyLine(this.buf, start, nl);
    if (!checked.ok) return checked.reason;
    const expected = this.lastSeq + 1;
    try {
      const { onReceipt, bodyless } = this.options;
      if ((onReceipt || bodyless) && leadingSeq(this.buf, start, nl) === expected) {
        const afterSeq = start + RECORD_PREFIX_BYTES + SEQ_KEY_BYTES + String(expected).length + 1;
        const conversation = onReceipt ? receiptConversation(this.buf, afterSeq, nl) : null;
        if (onReceipt && conversation !== null) {
          onReceipt(expected, conversation, offset, nl + 1 - start);
          this.lastSeq = expected;
          this.records++;
          return null;
        }
        if (bodyless && this.readBodyless(start, afterSeq, nl, offset, expected)) {
          this.lastSeq = expected;
          this.records++;
          return null;
        }
      }
      const json = this.buf.toString('utf8', start + RECORD_PREFIX_BYTES, nl);
      const parsed = parseRecord(json, expected);
      if ('reason' in parsed) return parsed.reason;
      this.onRecord({ seq: parsed.event.seq, event: parsed.event, json, offset, bytes: nl + 1 - start });
    } catch (err) {
      // A record the fold refuses is damage at this offset, reported like any other.
      return `the record does not apply: ${(err as Error).message}`;
    }
    this.lastSeq = expected;
    this.records++;
    return null;
  }

  /** A turn record folded from its JSON without the body's text; false when it must be parsed whole. */
  private readBodyless(start: number, afterSeq: number, nl: number, offset: number, expected: number): boolean {
    const span = turnBodySpan(this.buf, afterSeq, nl);
    if (!span) return false;
    const json = this.buf.toString('utf8', start + RECORD_PREFIX_BYTES, span.start) + this.buf.toString('utf8', span.end, nl);
    const parsed = parseRecord(json, expected);
    // Anything unexpected is left to the whole parse, which also names any damage.
    if ('reason' in parsed || !elidedTurnHolds(parsed.event)) return false;
    this.onRecord({ seq: expected, event: parsed.event, json, offset, bytes: nl + 1 - start, bodyBytes: span.bytes });
    return true;
  }

  /** At the end of the file: what is left is nothing, a torn write, or damage. */
  atEnd(): ScanResult {
    if (this.filled === 0) return this.result({});
    // A whole record whose newline turned into another byte is damage, not a torn write:
    // a torn write leaves a prefix of the record, never a wrong last byte.
    if (checkLine(this.buf, 0, this.filled - 1).ok) {
      return this.result({ damage: { offset: this.bufOffset, reason: 'the last record lost its line end (its final byte is damaged)' } });
    }
    return this.result({ tornTail: { offset: this.bufOffset, bytes: this.filled } });
  }
}
