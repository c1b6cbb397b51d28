// The archive folder beside the live copies (`<conversations dir>/archive/`): where the copies of
// archived conversations are written, and where copies of conversations the relay no longer has
// (after its log was replaced) are moved, so they stop passing for live ones. Deleted
// conversations lose their copies in both places.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidName } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';

export const ARCHIVE_DIR = 'archive';

export function archiveDir(conversationsDir: string): string {
  return join(conversationsDir, ARCHIVE_DIR);
}

/** Where a conversation's copy lives: in the archive folder once it is archived. */
export function placedCopyPath(conversationsDir: string, id: string, archived: boolean): string {
  return join(archived ? archiveDir(conversationsDir) : conversationsDir, `${id}.md`);
}

// rm retries a file another process holds open on Windows (EBUSY, EPERM) before giving up.
const removeFile = (path: string) => rm(path, { force: true, maxRetries: 5, retryDelay: 100 });

/** Removes a conversation's copy wherever it is (live or archived). */
export async function removeCopies(conversationsDir: string, id: string): Promise<void> {
  await removeFile(placedCopyPath(conversationsDir, id, false));
  await removeFile(placedCopyPath(conversationsDir, id, true));
}

/** After writing the archived copy: the live one goes. */
export async function removeLiveCopy(conversationsDir: string, id: string): Promise<void> {
  await removeFile(placedCopyPath(conversationsDir, id, false));
}

/** A file we wrote: our header opens with the conversation's id. */
function isOurCopy(text: string, id: string): boolean {
  return text.startsWith(`---\nid: "${id}"\n`);
}

/**
 * Moves every copy in the live folder whose conversation is not in `keep` into the archive folder
 * (written there atomically, then removed here). Files that are not copies of ours stay. Returns
 * the ids moved.
 */
export async function archiveOrphans(conversationsDir: string, keep: ReadonlySet<string>): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(conversationsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const moved: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.md')) continue;
    const id = name.slice(0, -'.md'.length);
    if (!isValidName(id) || keep.has(id)) continue;
    const from = join(conversationsDir, name);
    let text: Buffer;
    try {
      text = await readFile(from);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') continue;
      throw err;
    }
    if (!isOurCopy(text.subarray(0, 256).toString('utf8'), id)) continue;
    await mkdir(archiveDir(conversationsDir), { recursive: true });
    await atomicWriteFile(placedCopyPath(conversationsDir, id, true), text);
    await removeFile(from);
    moved.push(id);
  }
  return moved;
}
