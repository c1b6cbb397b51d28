// Builds a snapshot from the log alone (the source of truth): the newest sound snapshot, then the
// records after it, folded through a given seq. Runs beside the relay in a worker thread, so the
// relay never stops serving to write one.
import { CrosstalkError, type RelayEvent } from '@crosstalk/core';
import { emptyLedgerData, foldEvent, foldReceipt } from '../state/fold.js';
import { readRecordAt } from './record.js';
import { scanLog } from './scan.js';
import { anchorHolds, readSnapshot, writeSnapshot } from './snapshot.js';

export interface BuildSnapshotOptions {
  logFile: string;
  snapshotPath: string;
  epoch: string;
  /** Fold through this seq: a durable record (the log may grow meanwhile). */
  through: number;
}

export interface BuiltSnapshot {
  seq: number;
  bytes: number;
  /** The seq of the snapshot it started from (0: the whole log was folded). */
  from: number;
}

export async function buildSnapshot(options: BuildSnapshotOptions): Promise<BuiltSnapshot> {
  const { logFile, snapshotPath, epoch, through } = options;
  const previous = await readSnapshot(snapshotPath, epoch);
  let data = emptyLedgerData();
  let from = 0;
  if (previous.found && 'data' in previous && previous.anchor.seq <= through && (await anchorHolds(logFile, previous.anchor))) {
    data = previous.data;
    from = previous.anchor.seq;
  }
  if (from === through) return { seq: through, bytes: 0, from };
  let last: { offset: number; bytes: number } | null = null;
  const scan = await scanLog(
    logFile,
    (record) => {
      foldEvent(data, record.event as RelayEvent, record.bodyBytes);
      last = { offset: record.offset, bytes: record.bytes };
    },
    {
      skipThrough: from,
      stopAfter: through,
      bodyless: true,
      onReceipt: (seq, conversation, offset, bytes) => {
        foldReceipt(data, seq, conversation);
        last = { offset, bytes };
      },
    },
  );
  if (scan.damage) throw new CrosstalkError('LOG_CORRUPT', `the relay log ${logFile} is damaged at byte ${scan.damage.offset}: ${scan.damage.reason}`);
  const end = last as { offset: number; bytes: number } | null;
  if (scan.lastSeq !== through || !end) throw new Error(`the log ends at seq ${scan.lastSeq}, before ${through}`);
  const record = await readRecordAt(logFile, end.offset, end.bytes);
  if (!record || record.seq !== through) throw new Error(`record ${through} is not where the scan found it`);
  const { bytes } = await writeSnapshot(snapshotPath, data, epoch, { seq: through, offset: end.offset, bytes: end.bytes, crc: record.crc });
  return { seq: through, bytes, from };
}
