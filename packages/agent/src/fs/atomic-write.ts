// Replaces a file so that readers see the old bytes or the new bytes, never a mix, and a crash
// never leaves a half-written file: write a temp file beside it, fsync, rename over, fsync the dir.
import { randomBytes } from 'node:crypto';
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

/** fsync a directory so a rename inside it survives a power cut (POSIX only). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
