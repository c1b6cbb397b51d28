// Writing a batch's changed conversations to disk: each one's state file and markdown copy are
// replaced (temp file, rename: a reader sees the old or the new bytes), a few conversations at a
// time, and without an fsync. Durability is the cursor's concern: before the replica persists a
// cursor, every state file written since the last one, and their folder, are fsynced once
// (`syncWritten`), however many batches rewrote them. A copy is never fsynced: it is a rendering
// of its state file, and one a power cut damaged is rewritten from it at start (repairCopies).
// A conversation that only gained turns since its last write is written by appending
// (appending.ts), with no body read back.
import type { Conversation } from '@crosstalk/core';
import { copyPath, replaceLiveCopy, writeCopy } from '../copies/copies.js';
import { syncDir, syncFiles } from '../fs/atomic-write.js';
import { appendCopy, appendState, type Built, buildCopy, buildState, onlyAppended, readMarked, shapeOf, type Written } from './appending.js';
import type { StateStore } from './store.js';

/** Conversations whose files are written at once: the thread pool that creates and renames them stays free for the outbox's fsyncs, which a post waits for. */
const WRITE_CONCURRENCY = 2;

export interface FilesWritten {
  conversation: string;
  /** Where the copy is. */
  path: string;
  seq: number;
  /** Bytes of the state file and the copy. */
  bytes: number;
  /** The conversation with every body, when it was built whole (null when appended). */
  whole: Conversation | null;
}

export class ConversationFiles {
  /** What was last written of each conversation since the start, for writes that only append. */
  private readonly written = new Map<string, Written>();
  /** Conversations whose state file may not be on disk yet (not fsynced since it was written). */
  private readonly unsynced = new Set<string>();

  constructor(
    private readonly store: StateStore,
    private readonly copiesDir: string,
  ) {}

  /**
   * Forgets what was written. `unsynced`: conversations whose state files must be fsynced before
   * the next cursor — after a load, every one: a previous run may have written them after its
   * last cursor, and a replay that finds their turns already there writes nothing.
   */
  reset(unsynced: Iterable<string>): void {
    this.written.clear();
    this.unsynced.clear();
    for (const id of unsynced) this.unsynced.add(id);
  }

  /** A deleted conversation: its files are gone. */
  forget(id: string): void {
    this.written.delete(id);
    this.unsynced.delete(id);
  }

  /**
   * Writes the files of the changed conversations. `onDisk(c)`: how many of its turns have their
   * bodies in its state file (memory has the later ones); `whole(c)`: it with every body.
   */
  writeAll(changed: readonly Conversation[], onDisk: (c: Conversation) => number, whole: (c: Conversation) => Promise<Conversation>): Promise<FilesWritten[]> {
    return inTurns(changed, WRITE_CONCURRENCY, (c) => this.write(c, onDisk(c), whole));
  }

  private async write(c: Conversation, onDisk: number, whole: (c: Conversation) => Promise<Conversation>): Promise<FilesWritten> {
    const last = this.written.get(c.id);
    const livePath = copyPath(this.copiesDir, c.id, false);
    this.unsynced.add(c.id);
    if (last && last.turns === onDisk && !c.archived && onlyAppended(c, last)) {
      const oldState = readMarked(this.store.conversationPath(c.id), last.state);
      const oldCopy = oldState && readMarked(livePath, last.copy);
      if (oldState && oldCopy) {
        const added = c.turns.slice(onDisk);
        const bytes = await this.replaceBoth(c, appendState(c, oldState, last.state, added), appendCopy(c, oldCopy, last.copy, added));
        return { conversation: c.id, path: livePath, seq: c.seq, bytes, whole: null };
      }
    }
    const full = await whole(c);
    if (!full.archived) {
      const bytes = await this.replaceBoth(c, buildState(full), buildCopy(full));
      return { conversation: c.id, path: livePath, seq: c.seq, bytes, whole: full };
    }
    // Archived: its copy moves to the archive folder (rare; written whole, as it always was).
    this.written.delete(c.id);
    const state = buildState(full);
    const [, copy] = await Promise.all([this.store.replaceConversation(c.id, state.parts), writeCopy(this.copiesDir, full)]);
    return { conversation: c.id, path: copy.path, seq: c.seq, bytes: state.size + copy.bytes, whole: full };
  }

  private async replaceBoth(c: Conversation, state: Built, copy: Built): Promise<number> {
    const [stateMtime, copyMtime] = await Promise.all([this.store.replaceConversation(c.id, state.parts), replaceLiveCopy(this.copiesDir, c.id, copy.parts)]);
    this.written.set(c.id, {
      turns: c.turns.length,
      shape: shapeOf(c),
      state: { size: state.size, mtimeMs: stateMtime, head: state.head },
      copy: { size: copy.size, mtimeMs: copyMtime, head: copy.head },
    });
    return state.size + copy.size;
  }

  /** fsyncs every state file written since the last call, and their folder: then a cursor may cover them. */
  async syncWritten(): Promise<void> {
    const ids = [...this.unsynced];
    await syncFiles(ids.map((id) => this.store.conversationPath(id)));
    if (process.platform !== 'win32') await syncDir(this.store.conversationsDir);
    for (const id of ids) this.unsynced.delete(id);
  }
}

/** `work` over `items`, at most `concurrency` at once; the results in order. */
async function inTurns<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
