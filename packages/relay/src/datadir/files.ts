// Small, atomically replaced files in the data dir, read back through a schema.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CrosstalkError, parseJson, unreadableFile } from '@crosstalk/core';
import type * as z from 'zod';

/** No file of ours comes near this; anything bigger is not ours. */
const MAX_FILE_BYTES = 64 * 1024;

/** Opens `path` for reading, or null when there is no such file (any other failure is thrown). */
export async function openIfPresent(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Syncs a directory so a created or renamed entry survives a crash (not possible on Windows). */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a temp file, fsyncs it, renames it over `path`, fsyncs the directory. */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  await replaceAtomically(path, `.${randomBytes(6).toString('hex')}.tmp`, mode, (fh) => fh.writeFile(data, 'utf8'));
}

/**
 * Replaces `path` with what `write` puts in a new temp file beside it (named `tmpName`): the temp
 * file is fsynced, closed, renamed over `path`, and the directory fsynced; a reader sees the old
 * file or the new one, a crash leaves one of them. On failure the temp file goes and the error is
 * the write's own.
 */
export async function replaceAtomically<T>(path: string, tmpName: string, mode: number, write: (fh: FileHandle) => Promise<T>): Promise<T> {
  const tmp = join(dirname(path), tmpName);
  const fh = await open(tmp, 'wx', mode);
  let result: T;
  try {
    result = await write(fh);
    await fh.sync();
  } catch (err) {
    // Closing and removing are best effort: the write's error is the one to report.
    await fh.close().catch(() => undefined);
    await removeAfterFailure(tmp);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await removeAfterFailure(tmp);
    throw err;
  }
  await syncDir(dirname(path));
  return result;
}

/** A temp file of a write that failed: removed if it can be; the write's own error is the one to report. */
export async function removeAfterFailure(tmp: string): Promise<void> {
  await unlink(tmp).catch(() => undefined);
}

/** A small file's text; undefined when it does not exist, CONFIG_INVALID when it is too big to be ours. */
async function readSmallFile(path: string): Promise<string | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadableFile(path, err);
  }
  if (size > MAX_FILE_BYTES) throw new CrosstalkError('CONFIG_INVALID', `${path} is ${size} bytes; it cannot be a crosstalk file`, { details: { file: path } });
  return readText(path);
}

/** Reads and validates a JSON file of ours; `undefined` when it does not exist. */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | undefined> {
  const text = await readSmallFile(path);
  if (text === undefined) return undefined;
  const value = parseJson(text);
  if (value === undefined) throw new CrosstalkError('CONFIG_INVALID', `${path} is not valid JSON`, { details: { file: path } });
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new CrosstalkError('CONFIG_INVALID', `${path} is not a valid crosstalk file${where}`, { details: { file: path } });
  }
  return parsed.data;
}

/** A file's text; undefined when it does not exist. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadableFile(path, err);
  }
}
