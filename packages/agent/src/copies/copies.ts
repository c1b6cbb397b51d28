// The markdown copies: one file per conversation, always written whole and replaced atomically
// (never appended to in place), so a copy can neither lose nor repeat a turn: rendered from
// state, or, when a conversation only gained turns, the bytes written last with the new turns
// rendered after them, which are the same bytes (state/appending.ts).
import { mkdir, readFile, stat } from 'node:fs/promises';
import { renderConversation, type Conversation } from '@crosstalk/core';
import { atomicWriteFile, replaceFile } from '../fs/atomic-write.js';
import { archiveDir, placedCopyPath, removeLiveCopy } from './archive.js';

/** The copy's path: `<dir>/<id>.md`, or in `<dir>/archive/` for an archived conversation. */
export function copyPath(conversationsDir: string, id: string, archived = false): string {
  return placedCopyPath(conversationsDir, id, archived);
}

export async function ensureCopiesDir(conversationsDir: string): Promise<void> {
  await mkdir(conversationsDir, { recursive: true });
}

/** Writes the copy; its path and size in bytes. */
export async function writeCopy(conversationsDir: string, c: Conversation): Promise<{ path: string; bytes: number }> {
  const path = copyPath(conversationsDir, c.id, c.archived === true);
  const text = Buffer.from(renderConversation(c), 'utf8');
  if (c.archived) await mkdir(archiveDir(conversationsDir), { recursive: true });
  await atomicWriteFile(path, text);
  if (c.archived) await removeLiveCopy(conversationsDir, c.id);
  return { path, bytes: text.length };
}

/**
 * Replaces a live (not archived) conversation's copy with these bytes (pieces written in order); its mtime. Not synced: a
 * copy is a rendering of the state file, which is, and a copy that a power cut damaged is
 * rewritten from it at start (repairCopies).
 */
export function replaceLiveCopy(conversationsDir: string, id: string, parts: readonly Uint8Array[]): Promise<number> {
  return replaceFile(copyPath(conversationsDir, id, false), parts);
}

/** What one conversation takes on disk: its copy and its state file. */
export function diskBytes(c: Conversation): number {
  return Buffer.byteLength(renderConversation(c), 'utf8') + Buffer.byteLength(JSON.stringify(c), 'utf8');
}

/**
 * Compares every copy with what its state renders to and rewrites the missing or damaged ones.
 * A copy whose header shows a later seq than its state is ahead (the state write was lost in a
 * crash): it is kept, and rewritten when the replay brings the state up to it. Returns the ids
 * it rewrote.
 */
export async function repairCopies(conversationsDir: string, conversations: Iterable<Conversation>): Promise<string[]> {
  await ensureCopiesDir(conversationsDir);
  const repaired: string[] = [];
  for (const c of conversations) {
    const expected = Buffer.from(renderConversation(c), 'utf8');
    const path = copyPath(conversationsDir, c.id, c.archived === true);
    if (await holds(path, expected, c.seq)) continue;
    if (c.archived) await mkdir(archiveDir(conversationsDir), { recursive: true });
    await atomicWriteFile(path, expected);
    if (c.archived) await removeLiveCopy(conversationsDir, c.id);
    repaired.push(c.id);
  }
  return repaired;
}

/** The `seq:` of a copy's header (we render it; a damaged header gives null). */
export function copySeq(text: string): number | null {
  const end = text.indexOf('\n---\n', 4);
  if (!text.startsWith('---\n') || end < 0) return null;
  const m = /\nseq: (\d{1,16})\n/.exec(text.slice(3, end + 1));
  return m ? Number(m[1]) : null;
}

async function holds(path: string, expected: Buffer, seq: number): Promise<boolean> {
  try {
    const size = (await stat(path)).size;
    // Larger than any copy of ours could be: not ours to read, and not a copy that is ahead.
    if (size > expected.length * 2 + 1024 * 1024) return false;
    const actual = await readFile(path);
    if (actual.equals(expected)) return true;
    const ahead = copySeq(actual.subarray(0, 64 * 1024).toString('utf8'));
    return ahead !== null && ahead > seq;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return false;
    throw err;
  }
}
