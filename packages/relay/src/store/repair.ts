// `crosstalk relay repair`: on explicit request, keep the records before the first damage and
// drop the rest. Agents may already hold dropped events, so the relay gets a new epoch and
// every agent resyncs.
import { open, truncate, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dataPath, rotateEpoch } from '../datadir/datadir.js';
import { acquireLock } from '../datadir/lock.js';
import { scanLog, type Damage } from './scan.js';

export interface RepairResult {
  file: string;
  /** Good records kept. */
  records: number;
  lastSeq: number;
  /** Where the file was cut, or null when it was already sound. */
  truncatedAt: number | null;
  removedBytes: number;
  damage: Damage | null;
  /** A new epoch, when records that agents may have seen were dropped. */
  newEpoch: string | null;
}

export async function repairLog(dataDir: string): Promise<RepairResult> {
  const dir = resolve(dataDir);
  const lock = await acquireLock(dir);
  try {
    const file = dataPath(dir, 'log');
    const scan = await scanLog(file, () => {});
    const cut = scan.damage ? scan.damage.offset : scan.tornTail ? scan.tornTail.offset : null;
    let newEpoch: string | null = null;
    if (cut !== null) {
      await truncate(file, cut);
      const fh = await open(file, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (scan.damage) newEpoch = (await rotateEpoch(dir)).epoch;
      // A snapshot may hold records that are now gone; the next start folds the log instead.
      await unlink(dataPath(dir, 'snapshot')).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
    return {
      file,
      records: scan.records,
      lastSeq: scan.lastSeq,
      truncatedAt: cut,
      removedBytes: cut === null ? 0 : scan.fileSize - cut,
      damage: scan.damage,
      newEpoch,
    };
  } finally {
    await lock.release();
  }
}
