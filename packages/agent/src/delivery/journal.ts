// The record of every wake-up this host planned or made, on disk, so that a turn is never typed
// twice, not even across a restart or a crash in the middle of typing.
import * as z from 'zod';
import { NameSchema } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readJson } from '../fs/read-json.js';
import { wakeKey, type WakeSpec } from './plan.js';

export type WakePhase =
  /** Waiting for `dueAt` to type attempt `attempt`. */
  | 'due'
  /** Typing right now; after a crash this counts as delivered (never type twice). */
  | 'typing'
  /** Delivered; at `dueAt` remind, or report `unanswered`. */
  | 'waiting'
  | 'done';

export interface WakeEntry extends WakeSpec {
  attempt: number;
  /** Deferrals of the current attempt. */
  deferrals: number;
  phase: WakePhase;
  dueAt: number;
  /** Held while its session works or waits for its person; `dueAt` is then when to look again. */
  held?: boolean | undefined;
  /** Done because it could not be delivered: tried again when its session comes back. */
  failed?: boolean | undefined;
}

const EntrySchema = z.strictObject({
  kind: z.enum(['turn', 'limit', 'unanswered']),
  conversation: NameSchema,
  turn: z.number().int().min(1),
  session: NameSchema,
  silent: NameSchema.optional(),
  attempt: z.number().int().min(1).max(100),
  deferrals: z.number().int().min(0).max(1000),
  phase: z.enum(['due', 'typing', 'waiting', 'done']),
  dueAt: z.number().int().min(0),
  held: z.boolean().optional(),
  failed: z.boolean().optional(),
});
const FileSchema = z.strictObject({ version: z.literal(1), entries: z.array(EntrySchema).max(1_000_000) });

/** Records kept at most; the oldest finished ones go first. */
const MAX_ENTRIES = 20_000;

export class WakeJournal {
  private readonly entries = new Map<string, WakeEntry>();
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(private readonly path: string) {}

  /** Loads the journal; an entry caught mid-typing by a crash becomes delivered. */
  static async open(path: string, now: number, nudgeAfterMs: number): Promise<WakeJournal> {
    const journal = new WakeJournal(path);
    const parsed = FileSchema.safeParse(await readJson(path, 64 * 1024 * 1024));
    if (parsed.success) {
      for (const raw of parsed.data.entries) {
        const entry: WakeEntry = { ...raw };
        if (entry.phase === 'typing') {
          entry.phase = 'waiting';
          entry.dueAt = now + nudgeAfterMs;
        }
        journal.entries.set(wakeKey(entry), entry);
      }
    }
    return journal;
  }

  get(spec: WakeSpec): WakeEntry | undefined {
    return this.entries.get(wakeKey(spec));
  }

  has(spec: WakeSpec): boolean {
    return this.entries.has(wakeKey(spec));
  }

  add(spec: WakeSpec, dueAt: number): WakeEntry {
    const entry: WakeEntry = { ...spec, attempt: 1, deferrals: 0, phase: 'due', dueAt };
    this.entries.set(wakeKey(spec), entry);
    this.dirty = true;
    return entry;
  }

  /** Marks a change to an entry object handed out earlier. */
  touch(): void {
    this.dirty = true;
  }

  delete(spec: WakeSpec): void {
    if (this.entries.delete(wakeKey(spec))) this.dirty = true;
  }

  clear(): void {
    this.entries.clear();
    this.dirty = true;
  }

  all(): WakeEntry[] {
    return [...this.entries.values()];
  }

  /** Writes the journal if it changed; writes never overlap and the last one wins. */
  flush(): Promise<void> {
    if (!this.dirty) return this.writing;
    this.dirty = false;
    this.trim();
    const snapshot = JSON.stringify({ version: 1, entries: this.all() });
    // The previous write's failure went to its own caller; this write starts afresh either way.
    const write = this.writing.catch(() => undefined).then(() => atomicWriteFile(this.path, snapshot, { mode: 0o600 }));
    this.writing = write;
    return write;
  }

  private trim(): void {
    if (this.entries.size <= MAX_ENTRIES) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES) break;
      if (entry.phase === 'done') this.entries.delete(key);
    }
  }
}
