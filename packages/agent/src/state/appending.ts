// The bytes of a conversation's two files (its state file and its markdown copy), built so that a
// batch which only appended turns costs what the new turns cost, not what the conversation holds.
// Turns never change once posted, and both files hold them last, in order: the state file is its
// metadata then `"turns":[...]`, the copy its header then the rendered turns. So the new file is
// the new head, the bytes after the old head (read back from the file as written last time), and
// the new turns. What was written last is remembered per conversation, and the file must still be
// exactly that (size and mtime); anything else — a note, a decision, another turn limit, a close,
// an archive, a file changed by someone else, a start — builds the whole file as before.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { type Conversation, renderConversation, renderHeader, renderTurn, type Turn } from '@crosstalk/core';

/** What was last written of a conversation. */
export interface Written {
  turns: number;
  /** Everything but the turns that the bytes after the heads depend on. */
  shape: string;
  state: FileMark;
  copy: FileMark;
}

/** A file as written: its size, its mtime, and where its head ends (bytes). */
export interface FileMark {
  size: number;
  mtimeMs: number;
  head: number;
}

/**
 * A file's new bytes, in the pieces they were built from (written one after the other: joining
 * them first would copy the whole file once more), their size, and where the head ends.
 */
export interface Built {
  parts: Buffer[];
  size: number;
  head: number;
}

function built(parts: Buffer[], head: number): Built {
  let size = 0;
  for (const p of parts) size += p.length;
  return { parts, size, head };
}

export function shapeOf(c: Conversation): string {
  return JSON.stringify([c.maxTurns, c.notes.length, c.decision ?? null, c.resolution ?? null, c.archived === true, c.turns.length > 0]);
}

/** The state file's head: the conversation's JSON without its turns, opening the turns array. */
function stateHead(c: Conversation): string {
  const meta = JSON.stringify({ ...c, turns: undefined });
  return `${meta.slice(0, -1)}${meta === '{}' ? '' : ','}"turns":[`;
}

/** The whole state file: the same JSON as the conversation's, with `turns` last. */
export function buildState(c: Conversation): Built {
  const head = Buffer.from(stateHead(c), 'utf8');
  const turns = Buffer.from(`${c.turns.map((t) => JSON.stringify(t)).join(',')}]}`, 'utf8');
  return built([head, turns], head.length);
}

/** The whole copy, as renderConversation renders it. */
export function buildCopy(c: Conversation): Built {
  return built([Buffer.from(renderConversation(c), 'utf8')], Buffer.byteLength(renderHeader(c), 'utf8'));
}

/**
 * Whether `c` differs from what `w` wrote only by turns appended (and its header), so that the
 * append builders apply.
 */
export function onlyAppended(c: Conversation, w: Written): boolean {
  // A closed conversation ends its copy with the resolution: nothing may follow it.
  return c.turns.length >= w.turns && w.turns > 0 && !c.resolution && shapeOf(c) === w.shape;
}

/** The state file: new head, old turns (from `old`, as `mark` says), new turns. */
export function appendState(c: Conversation, old: Buffer, mark: FileMark, added: readonly Turn[]): Built {
  const head = Buffer.from(stateHead(c), 'utf8');
  const oldTurns = old.subarray(mark.head, old.length - 2);
  const more = added.length === 0 ? '' : `,${added.map((t) => JSON.stringify(t)).join(',')}`;
  return built([head, oldTurns, Buffer.from(`${more}]}`, 'utf8')], head.length);
}

/** The copy: new header, what followed the old one, the new turns rendered. */
export function appendCopy(c: Conversation, old: Buffer, mark: FileMark, added: readonly Turn[]): Built {
  const head = Buffer.from(renderHeader(c), 'utf8');
  const more = Buffer.from(added.map((t) => renderTurn(c, t)).join(''), 'utf8');
  return built([head, old.subarray(mark.head), more], head.length);
}

/** The file's bytes if it is still the one `mark` describes (same size and mtime); null otherwise. */
export function readMarked(path: string, mark: FileMark): Buffer | null {
  // Read in place, as replaceFile writes: a file of ours, just written, is in the page cache.
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== mark.size || st.mtimeMs !== mark.mtimeMs) return null;
    const bytes = readFileSync(fd);
    return bytes.length === mark.size ? bytes : null;
  } finally {
    closeSync(fd);
  }
}
