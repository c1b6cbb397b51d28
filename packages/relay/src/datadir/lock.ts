// One relay per data dir. The LOCK file names the holder's pid; a lock whose process is gone
// is stale and taken over (a relay restarted in a container often gets the same pid, so our
// own pid counts as stale too unless this process really holds the lock).
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CrosstalkError, parseJson, unreadableFile } from '@crosstalk/core';
import { dataPath } from './datadir.js';

const heldHere = new Set<string>();

export interface DataDirLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** The pid the lock names; null when the lock is gone, or not (yet) a whole lock file. */
async function holderPid(path: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return null;
    throw unreadableFile(path, err);
  }
  const parsed = parseJson(text) as { pid?: unknown } | null | undefined;
  const pid = parsed?.pid;
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

async function isFresh(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs < 5_000;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

async function removeLock(path: string): Promise<void> {
  await unlink(path).catch((err: unknown) => {
    if (!isMissing(err)) throw err;
  });
}

function locked(dir: string, pid: number | null): CrosstalkError {
  const who = pid === null ? 'this process' : `process ${pid}`;
  return new CrosstalkError('DATA_DIR_LOCKED', `another relay (${who}) is using ${dir}`, { details: { dataDir: dir, pid } });
}

export async function acquireLock(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const path = dataPath(dir, 'lock');
  if (heldHere.has(dir)) throw locked(dir, null);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(`${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      heldHere.add(dir);
      return {
        async release() {
          if (!heldHere.delete(dir)) return;
          if ((await holderPid(path)) === process.pid) await removeLock(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = await holderPid(path);
    if (pid !== null && pid !== process.pid && isAlive(pid)) throw locked(dir, pid);
    // An unreadable lock may be one another relay is writing this very moment.
    if (pid === null && (await isFresh(path))) throw locked(dir, null);
    await removeLock(path);
  }
  throw locked(dir, await holderPid(path));
}
