// Reads a log file front to back, checking every record, and says where the good part ends.
// It never changes the file: the caller decides whether to refuse, truncate a torn tail, or
// (on explicit request) repair.
import { open } from 'node:fs/promises';
import { checkLine, leadingSeq, NEWLINE, RECORD_PREFIX_BYTES, verifyLine } from './record.js';

export interface ScannedRecord {
  seq: number;
  /** The parsed event (checked only for its seq: the relay wrote it). */
  event: { seq: number; type: string };
  json: string;
  offset: number;
  bytes: number;
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

const CHUNK_BYTES = 4 * 1024 * 1024;
/** No record comes near this; a "line" this long is damage, not a record. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

function parseRecord(json: string, expectedSeq: number): { event: ScannedRecord['event'] } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { reason: 'the record is not valid JSON' };
  }
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
}

/**
 * Scans `file` (a missing file is an empty log), calling `onRecord` for each good record in order
 * (after `skipThrough`, `onSkipped` for those before).
 */
export async function scanLog(file: string, onRecord: (record: ScannedRecord) => void, options: ScanOptions = {}): Promise<ScanResult> {
  const skipThrough = options.skipThrough ?? 0;
  const stopAfter = options.stopAfter ?? Number.POSITIVE_INFINITY;
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: 0, lastSeq: 0, goodEnd: 0, fileSize: 0, tornTail: null, damage: null };
    throw err;
  }
  try {
    const fileSize = (await fh.stat()).size;
    const chunkBytes = Math.min(CHUNK_BYTES, Math.max(fileSize, 1));
    let buf = Buffer.allocUnsafe(chunkBytes);
    let bufOffset = 0; // file offset of buf[0]
    let filled = 0;
    let readPos = 0;
    // The next chunk is read while the current one is checked, into the other of two buffers
    // (allocating one per chunk would make the garbage collector chase hundreds of MB).
    const handle = fh;
    const chunks = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    let turn = 0;
    const readAhead = (at: number): Promise<Buffer> => {
      const next = chunks[(turn ^= 1)] as Buffer;
      const read = handle.read(next, 0, chunkBytes, at).then(({ bytesRead }) => next.subarray(0, bytesRead));
      // A scan that stops early leaves one read unawaited.
      read.catch(() => undefined);
      return read;
    };
    let pending: Promise<Buffer> = readAhead(0);
    let lastSeq = 0;
    let records = 0;
    const result = (extra: Partial<ScanResult>): ScanResult => ({
      records,
      lastSeq,
      goodEnd: bufOffset,
      fileSize,
      tornTail: null,
      damage: null,
      ...extra,
    });

    for (;;) {
      if (filled >= MAX_LINE_BYTES) return result({ damage: { offset: bufOffset, reason: 'a line is longer than any record can be' } });
      const chunk = await pending;
      readPos += chunk.length;
      if (chunk.length > 0) pending = readAhead(readPos);
      if (filled + chunk.length > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, filled + chunk.length));
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      chunk.copy(buf, filled);
      filled += chunk.length;
      const eof = chunk.length === 0;

      let lineStart = 0;
      for (;;) {
        const nl = buf.indexOf(NEWLINE, lineStart);
        if (nl === -1 || nl >= filled) break;
        const offset = bufOffset + lineStart;
        if (lastSeq < skipThrough) {
          const checked = verifyLine(buf, lineStart, nl);
          if (!checked.ok) return result({ goodEnd: offset, damage: { offset, reason: checked.reason } });
          let seq = leadingSeq(buf, lineStart, nl);
          if (seq === null) {
            const parsed = parseRecord(buf.toString('utf8', lineStart + RECORD_PREFIX_BYTES, nl), lastSeq + 1);
            if ('reason' in parsed) return result({ goodEnd: offset, damage: { offset, reason: parsed.reason } });
            seq = parsed.event.seq;
          }
          if (seq !== lastSeq + 1) return result({ goodEnd: offset, damage: { offset, reason: `the record has seq ${seq} where ${lastSeq + 1} was expected` } });
          options.onSkipped?.(offset);
          lastSeq = seq;
          records++;
          lineStart = nl + 1;
          if (lastSeq >= stopAfter) return result({ goodEnd: bufOffset + lineStart });
          continue;
        }
        const line = checkLine(buf, lineStart, nl);
        if (!line.ok) return result({ goodEnd: offset, damage: { offset, reason: line.reason } });
        const parsed = parseRecord(line.json, lastSeq + 1);
        if ('reason' in parsed) return result({ goodEnd: offset, damage: { offset, reason: parsed.reason } });
        try {
          onRecord({ seq: parsed.event.seq, event: parsed.event, json: line.json, offset, bytes: nl + 1 - lineStart });
        } catch (err) {
          return result({ goodEnd: offset, damage: { offset, reason: `the record does not apply: ${(err as Error).message}` } });
        }
        lastSeq = parsed.event.seq;
        records++;
        lineStart = nl + 1;
        if (lastSeq >= stopAfter) return result({ goodEnd: bufOffset + lineStart });
      }
      // Keep the unfinished line at the front of the buffer.
      buf.copy(buf, 0, lineStart, filled);
      bufOffset += lineStart;
      filled -= lineStart;

      if (eof) {
        if (filled === 0) return result({});
        // A whole record whose newline turned into another byte is damage, not a torn write:
        // a torn write leaves a prefix of the record, never a wrong last byte.
        if (checkLine(buf, 0, filled - 1).ok) {
          return result({ damage: { offset: bufOffset, reason: 'the last record lost its line end (its final byte is damaged)' } });
        }
        return result({ tornTail: { offset: bufOffset, bytes: filled } });
      }
    }
  } finally {
    await fh.close();
  }
}
