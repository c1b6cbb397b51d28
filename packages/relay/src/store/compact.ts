// `crosstalk relay compact`: rewrites the log without the content of deleted conversations. Every
// record of a deleted conversation before its tombstone becomes a `conversation.purged` stub with
// the same seq and time (seqs stay 1, 2, 3, … without gaps, so copies rendered from the new log
// are the bytes they were); the tombstone stays. Crash-safe: the new log is written beside the old
// one, fsynced, renamed over it and the directory fsynced, so a kill at any moment leaves the old
// log or the new one whole. The epoch changes before the rename (agents resync from seq 0 with
// what they hold), and the snapshot goes with it (it may hold what was deleted).
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RelayEvent } from '@crosstalk/core';
import { dataPath, rotateEpoch } from '../datadir/datadir.js';
import { syncDir } from '../datadir/files.js';
import { acquireLock } from '../datadir/lock.js';
import { isPurgeable, purgedJson, recordConversation } from '../state/purge.js';
import { logCorrupt } from './open-log.js';
import { encodeRecord } from './record.js';
import { surveyLog } from './compact-survey.js';
import { scanLog } from './scan.js';

export interface CompactResult {
  file: string;
  bytesBefore: number;
  bytesAfter: number;
  records: number;
  /** Records whose content was removed (now stubs). */
  purged: number;
  /** Deleted conversations whose content the log held until now. */
  conversations: number;
  /** The new epoch, or null when there was nothing to remove (the log is left as it was). */
  newEpoch: string | null;
  ms: number;
}

export interface CompactOptions {
  /** Bytes written to the new log at a time (default 4 MiB). */
  writeBytes?: number;
  /** Called before each step, for tests that stop a compaction there. */
  onStep?: (step: CompactStep) => void | Promise<void>;
}

export type CompactStep = 'scanned' | 'written' | 'epoch' | 'snapshot-removed' | 'renamed';

/** The new log while it is written; a leftover of a compaction that never finished is removed by the next one. */
export const COMPACT_TEMP = '.events.log.compact.tmp';

const gone = (err: NodeJS.ErrnoException) => {
  if (err.code !== 'ENOENT') throw err;
};

/** Compacts the log of a stopped relay (it takes the data dir lock, so a running relay refuses it). */
export async function compactLog(dataDir: string, options: CompactOptions = {}): Promise<CompactResult> {
  const dir = resolve(dataDir);
  const lock = await acquireLock(dir);
  try {
    return await compactLocked(dir, options);
  } finally {
    await lock.release();
  }
}

async function compactLocked(dir: string, options: CompactOptions): Promise<CompactResult> {
  const started = performance.now();
  const file = dataPath(dir, 'log');
  const tmp = join(dir, COMPACT_TEMP);
  await unlink(tmp).catch(gone);
  const bytesBefore = (await stat(file)).size;

  // First pass: which deleted conversations still have content (their opening) in the log.
  const { deleted, opened, lines } = await surveyLog(file);
  const toPurge = new Set([...deleted].filter((id) => opened.has(id)));
  await options.onStep?.('scanned');
  if (toPurge.size === 0)
    return {
      file,
      bytesBefore,
      records: lines,
      conversations: 0,
      bytesAfter: bytesBefore,
      purged: 0,
      newEpoch: null,
      ms: Math.round(performance.now() - started),
    };

  // Second pass: the new log, record by record, in bounded writes.
  const limit = options.writeBytes ?? 4 * 1024 * 1024;
  const fd = openSync(tmp, 'wx', 0o600);
  let purged = 0;
  let bytesAfter = 0;
  let records = 0;
  try {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    const flush = () => {
      const data = Buffer.concat(chunk, chunkBytes);
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
      bytesAfter += data.length;
      chunk = [];
      chunkBytes = 0;
    };
    const second = await scanLog(file, (record) => {
      const event = record.event as RelayEvent;
      let json = record.json;
      if (isPurgeable(event.type)) {
        const id = recordConversation(json);
        if (id !== null && toPurge.has(id)) {
          json = purgedJson(event as { seq: number; at: string }, id);
          purged++;
        }
      }
      const line = encodeRecord(json);
      chunk.push(line);
      chunkBytes += line.length;
      if (chunkBytes >= limit) flush();
    });
    if (second.damage) throw logCorrupt(file, second.damage.offset, second.damage.reason);
    if (chunkBytes > 0) flush();
    fsyncSync(fd);
    records = second.records;
  } catch (err) {
    closeSync(fd);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  closeSync(fd);
  await options.onStep?.('written');

  // The epoch first: a stop after it and before the rename only costs agents a resync of the old log.
  const { epoch } = await rotateEpoch(dir);
  await options.onStep?.('epoch');
  await unlink(dataPath(dir, 'snapshot')).catch(gone);
  await options.onStep?.('snapshot-removed');
  await rename(tmp, file);
  await options.onStep?.('renamed');
  await syncDir(dir);
  return { file, bytesBefore, records, conversations: toPurge.size, bytesAfter, purged, newEpoch: epoch, ms: Math.round(performance.now() - started) };
}
