// The agent's outbox on disk: posts and receipts it has taken but the relay has not yet answered,
// so a kill -9 of the agent, or of the relay, loses none. One append-only file of JSON lines
// (`+` an entry, `-` its answer came); entries arriving together share one write and one fsync,
// and a caller is told an entry is kept only after that fsync. A `-` line needs no fsync, so it
// gets no write of its own: it goes with the next entry's (or alone after `DONE_LINGER_MS`). At
// open the file is read back (a torn last line is dropped: nobody was told it was kept) and
// rewritten with what is pending.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { entryLine } from './json-text.js';

export interface OutboxEntry {
  id: string;
  op: string;
  conversation?: string | undefined;
  body: unknown;
  /** When the agent took it (ISO). */
  at: string;
}

/** The file is rewritten with only what is pending once it holds nothing pending and grew past this. */
const COMPACT_BYTES = 4 * 1024 * 1024;

type Line = { '+': OutboxEntry } | { '-': string };

const OUTBOX_FILE = 'outbox.jsonl';
/** The longest an answer's line waits for a write that keeps something. */
export const DONE_LINGER_MS = 500;

/**
 * What the outbox in `dir` holds, oldest first, read without changing it: also what `crosstalk
 * agent status` shows, the agent running or not (a stopped agent sends it when it starts again).
 */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  const pending = new Map<string, OutboxEntry>();
  const text = await readFile(join(dir, OUTBOX_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  for (const raw of text.split('\n')) {
    const line = parseLine(raw);
    if (line === null) continue;
    if ('+' in line) pending.set(line['+'].id, line['+']);
    else pending.delete(line['-']);
  }
  return [...pending.values()];
}

export class OutboxLog {
  private queue: Array<{ line: string; done?: (err?: Error) => void }> = [];
  private writing: Promise<void> | null = null;
  /** A flush is under way: it takes whatever is queued before it ends. */
  private busy = false;
  private size = 0;
  private livePending = 0;
  private closed = false;
  private lingering: NodeJS.Timeout | null = null;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
  ) {}

  /** Opens (creates) the outbox in `dir`; the entries still pending, oldest first. */
  static async open(dir: string): Promise<{ log: OutboxLog; pending: OutboxEntry[] }> {
    const path = join(dir, OUTBOX_FILE);
    const kept = await readOutbox(dir);
    const body = kept.map((e) => `${JSON.stringify({ '+': e })}\n`).join('');
    await atomicWriteFile(path, body, { mode: 0o600 });
    const log = new OutboxLog(path, await open(path, 'a', 0o600));
    log.size = Buffer.byteLength(body);
    log.livePending = kept.length;
    return { log, pending: kept };
  }

  /** Keeps an entry; resolves once it is on disk. `bodyJson`, when given, is `JSON.stringify(entry.body)`. */
  add(entry: OutboxEntry, bodyJson?: string): Promise<void> {
    this.livePending++;
    const line = bodyJson === undefined ? `${JSON.stringify({ '+': entry })}\n` : entryLine(entry, bodyJson);
    return new Promise<void>((resolve, reject) => {
      this.push(line, (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * The relay answered `id`. Written with the next entry's batch (or alone a while later), nobody
   * waiting for it: an answer whose line is lost to a crash only means the entry is sent again,
   * and the relay answers a repeat with the original.
   */
  done(id: string): void {
    this.livePending = Math.max(0, this.livePending - 1);
    if (this.closed) return;
    this.queue.push({ line: `${JSON.stringify({ '-': id })}\n` });
    // A write under way takes it with its next batch that keeps something; otherwise it waits.
    if (!this.busy) this.linger();
  }

  /** The answers' lines in the queue go with the next post's, or on their own after a while. */
  private linger(): void {
    if (this.lingering !== null) return;
    this.lingering = setTimeout(() => {
      this.lingering = null;
      this.startFlush(true);
    }, DONE_LINGER_MS);
    this.lingering.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    // Answers still waiting for a write go now: a stopped agent does not send them again.
    if (this.queue.length > 0) this.startFlush(true);
    await this.writing;
    await this.handle.close();
  }

  private push(line: string, done?: (err?: Error) => void): void {
    if (this.closed) {
      done?.(new Error('the outbox is closed'));
      return;
    }
    this.queue.push(done ? { line, done } : { line });
    this.startFlush();
  }

  /** Writes what is queued; `all` also when it is only answers' lines. */
  private startFlush(all = false): void {
    if (this.lingering !== null) clearTimeout(this.lingering);
    this.lingering = null;
    if (this.busy) return;
    this.busy = true;
    this.writing = this.flush(all);
  }

  private async flush(all: boolean): Promise<void> {
    let only = all;
    // `busy` ends as the loop does, in the same turn: whoever hears of the last batch and queues
    // more starts the next flush.
    try {
      while (this.queue.length > 0) {
        if (!only && !this.closed && !this.queue.some((b) => b.done !== undefined)) return this.linger();
        only = false;
        const batch = this.queue;
        this.queue = [];
        const data = batch.map((b) => b.line).join('');
        let error: Error | undefined;
        try {
          await this.handle.write(data);
          // Only a batch that keeps something needs to reach the disk before its callers hear of it.
          if (batch.some((b) => b.done)) await this.handle.sync();
          this.size += Buffer.byteLength(data);
          if (this.livePending === 0 && this.queue.length === 0 && this.size > COMPACT_BYTES) await this.compact();
        } catch (err) {
          error = err instanceof Error ? err : new Error(String(err));
        }
        for (const b of batch) b.done?.(error);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Nothing pending: start the file over. */
  private async compact(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.sync();
    this.size = 0;
  }

  get file(): string {
    return this.path;
  }
}

function parseLine(raw: string): Line | null {
  if (raw.trim() === '') return null;
  try {
    const v = JSON.parse(raw) as Line;
    if (typeof v !== 'object' || v === null) return null;
    if ('+' in v && typeof v['+'] === 'object' && v['+'] !== null && typeof v['+'].id === 'string' && typeof v['+'].op === 'string') return v;
    if ('-' in v && typeof v['-'] === 'string') return v;
    return null;
  } catch {
    // A torn last line: its writer was never told it was kept.
    return null;
  }
}
