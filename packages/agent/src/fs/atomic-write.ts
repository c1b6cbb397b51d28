// Replaces a file so that readers see the old bytes or the new bytes, never a mix, and a crash
// never leaves a half-written file: write a temp file beside it, fsync, rename over, fsync the dir.
// For many files at once (the replica's batches), replaceFile leaves the fsyncs to its caller,
// who does them once for many replacements (syncFiles, syncDir) before relying on them.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, open as openFd, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode for a new file (e.g. 0o600 for keys). */
  mode?: number;
  /** Platform, for the Windows rename retry. Defaults to the running one. */
  platform?: NodeJS.Platform;
  /** How long to keep retrying a rename that another process blocks (Windows). */
  renameRetryMs?: number;
  /** Stand-in for fs.rename, so the Windows sharing-violation retry can be tested anywhere. */
  renameImpl?: (from: string, to: string) => Promise<void>;
}

// On Windows a rename fails while another process (an editor, `type`, an indexer) has the target open.
const SHARING_ERRORS = new Set(['EPERM', 'EBUSY', 'EACCES']);

export async function atomicWriteFile(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const platform = options.platform ?? process.platform;
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await renameWithRetry(options.renameImpl ?? rename, tmp, path, platform, options.renameRetryMs ?? 2000);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  if (platform !== 'win32') await syncDir(dirname(path));
}

/** Temp names of replaceFile: unique to this process, then counted. */
const TEMP_PREFIX = randomBytes(6).toString('hex');
let temps = 0;

/**
 * atomicWriteFile for a batch of files in a few folders, without the fsyncs: the caller syncs the
 * files that must be durable (syncFiles) and their folders (syncDir) before relying on them, once
 * for many replacements; readers see the old or the new bytes, never a mix. Creating and renaming
 * wait on the file system's journal, so they leave the event loop; the bytes go to the page cache
 * in place, a fraction of the promise form's CPU. `data` may come in pieces, written one after
 * the other (no joined copy of the whole). The new file's mtime.
 */
export async function replaceFile(path: string, data: Uint8Array | readonly Uint8Array[], options: AtomicWriteOptions = {}): Promise<number> {
  const platform = options.platform ?? process.platform;
  const tmp = join(dirname(path), `.${basename(path)}.${TEMP_PREFIX}${++temps}.tmp`);
  const fd = await new Promise<number>((resolve, reject) => openFd(tmp, 'wx', options.mode ?? 0o644, (err, fd) => (err ? reject(err) : resolve(fd))));
  let mtimeMs: number;
  try {
    for (const part of data instanceof Uint8Array ? [data] : data) writeAllSync(fd, part);
    // A rename keeps the mtime: it tells later whether the file is still the one written here.
    mtimeMs = fstatSync(fd).mtimeMs;
  } finally {
    closeSync(fd);
  }
  try {
    await renameWithRetry(options.renameImpl ?? rename, tmp, path, platform, options.renameRetryMs ?? 2000);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return mtimeMs;
}

/** Writes every byte of `bytes` at the file's position (a write may take fewer than asked). */
function writeAllSync(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

async function renameWithRetry(
  renameFile: (from: string, to: string) => Promise<void>,
  from: string,
  to: string,
  platform: NodeJS.Platform,
  budgetMs: number,
): Promise<void> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    try {
      await renameFile(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (platform !== 'win32' || !SHARING_ERRORS.has(code) || Date.now() + delay > deadline) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Files fsynced at once at most by syncFiles: the thread pool stays free for other work (the outbox's fsyncs). */
const SYNC_CONCURRENCY = 2;

/** fsyncs files replaced earlier without it (replaceFile); one that is gone since is skipped. */
export async function syncFiles(paths: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++] as string;
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        // Writable: Windows flushes only a handle that may write.
        handle = await open(path, 'r+');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, paths.length) }, worker));
}

/** fsync a directory so a rename inside it survives a power cut (POSIX only). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
