// One relay per data dir. The LOCK file names the holder's pid; a lock whose process is gone
// is stale and taken over (a relay restarted in a container often gets the same pid, so our
// own pid counts as stale too unless this process really holds the lock).
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CrosstalkError } from '@crosstalk/core';
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

async function holderPid(path: string): Promise<number | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown };
    return typeof parsed.pid === 'number' && Number.isSafeInteger(parsed.pid) && parsed.pid > 0 ? parsed.pid : null;
  } catch {
    return null;
  }
}

async function isFresh(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs < 5_000;
  } catch {
    return false;
  }
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
          if ((await holderPid(path)) === process.pid) await unlink(path).catch(() => {});
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = await holderPid(path);
    if (pid !== null && pid !== process.pid && isAlive(pid)) throw locked(dir, pid);
    // An unreadable lock may be one another relay is writing this very moment.
    if (pid === null && (await isFresh(path))) throw locked(dir, null);
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  throw locked(dir, await holderPid(path));
}
