// The markdown copies: one file per conversation, always rendered whole from state (never
// appended to), so a copy can neither lose nor repeat a turn, and replaced atomically.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { renderConversation, type Conversation } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';

export function copyPath(conversationsDir: string, id: string): string {
  return join(conversationsDir, `${id}.md`);
}

export async function ensureCopiesDir(conversationsDir: string): Promise<void> {
  await mkdir(conversationsDir, { recursive: true });
}

export async function writeCopy(conversationsDir: string, c: Conversation): Promise<string> {
  const path = copyPath(conversationsDir, c.id);
  await atomicWriteFile(path, renderConversation(c));
  return path;
}

/**
 * Compares every copy with what its state renders to and rewrites the missing or damaged ones.
 * Returns the ids it rewrote.
 */
export async function repairCopies(conversationsDir: string, conversations: Iterable<Conversation>): Promise<string[]> {
  await ensureCopiesDir(conversationsDir);
  const repaired: string[] = [];
  for (const c of conversations) {
    const expected = Buffer.from(renderConversation(c), 'utf8');
    const path = copyPath(conversationsDir, c.id);
    if (await holds(path, expected)) continue;
    await atomicWriteFile(path, expected);
    repaired.push(c.id);
  }
  return repaired;
}

async function holds(path: string, expected: Buffer): Promise<boolean> {
  try {
    // A file of another size cannot match; checking first avoids reading a stranger's huge file.
    if ((await stat(path)).size !== expected.length) return false;
    return (await readFile(path)).equals(expected);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return false;
    throw err;
  }
}
