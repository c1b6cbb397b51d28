// Opening the log file at start: every record checked (scan.ts), damage refused with LOG_CORRUPT
// naming file and offset, a torn tail (a write never acknowledged) cut off, the file created if
// it is new. Only then does the log accept appends.
import { open, truncate, type FileHandle } from 'node:fs/promises';
import { CrosstalkError } from '@crosstalk/core';
import { OffsetIndex, RecordRing } from './ring.js';
import { scanLog, type ScanResult, type ScannedRecord } from './scan.js';

/** What the ring of recent records may hold: the bodies in memory are these and the read cache's. */
export const DEFAULT_RING_BYTES = 16 * 1024 * 1024;

export interface OpenLogOptions {
  file: string;
  /** Recent records kept in memory for fan-out (a power of two). */
  ringRecords?: number;
  ringBytes?: number;
  /** Called for each record already in the file, in order, while opening. */
  onRecord?: (record: ScannedRecord) => void;
  /** Called instead of onRecord for a receipt, read without parsing it: its seq and conversation. */
  onReceipt?: (seq: number, conversation: string) => void;
  /** Turn records reach onRecord with their body's text cut out (see scan.ts). */
  bodyless?: boolean;
  /** Records up to this seq are checked but not parsed, and not passed to onRecord (a snapshot holds them). */
  skipThrough?: number;
}

export interface OpenedLogFile {
  fh: FileHandle;
  ring: RecordRing;
  offsets: OffsetIndex;
  scan: ScanResult;
}

export function logCorrupt(file: string, offset: number, reason: string): CrosstalkError {
  return new CrosstalkError('LOG_CORRUPT', `the relay log ${file} is damaged at byte ${offset}: ${reason}`, { details: { file, offset, reason } });
}

export async function openLogFile(options: OpenLogOptions): Promise<OpenedLogFile> {
  const ring = new RecordRing(options.ringRecords ?? 65_536, options.ringBytes ?? DEFAULT_RING_BYTES);
  const offsets = new OffsetIndex();
  // The ring is filled after the scan, with the tail only: keeping every record's text alive
  // for a while during a long replay would make the garbage collector copy it all.
  const scan = await scanLog(
    options.file,
    (record) => {
      options.onRecord?.(record);
      offsets.push(record.offset);
    },
    {
      skipThrough: options.skipThrough ?? 0,
      bodyless: options.bodyless ?? false,
      onSkipped: (offset) => offsets.push(offset),
      ...(options.onReceipt
        ? {
            onReceipt: (seq: number, conversation: string, offset: number) => {
              options.onReceipt?.(seq, conversation);
              offsets.push(offset);
            },
          }
        : {}),
    },
  );
  ring.resetAfter(scan.lastSeq);
  if (scan.damage) throw logCorrupt(options.file, scan.damage.offset, scan.damage.reason);
  if (scan.fileSize === 0) await (await open(options.file, 'a')).close();
  const fh = await open(options.file, 'r+');
  try {
    if (scan.tornTail) {
      await truncate(options.file, scan.goodEnd);
      await fh.datasync();
    }
  } catch (err) {
    await fh.close();
    throw err;
  }
  return { fh, ring, offsets, scan };
}
