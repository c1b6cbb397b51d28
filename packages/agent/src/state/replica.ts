// This host's replica of the relay state. Every batch of events goes: apply in memory → write
// each changed conversation's state and its markdown copy once (conversation-files.ts) → (later,
// batched) fsync the state files written since the last cursor, then persist the cursor. A crash
// anywhere in between is repaired by replay: applying is idempotent and copies are rendered from
// state, so nothing is lost or written twice. Memory holds no turn body once it is written: a
// copy that must be rendered whole gets the bodies read back from the conversation's file (bodies.ts).
import { applyEvent, CrosstalkError, emptyState, EventGapError, type Conversation, type ReceiptEvent, type RelayEvent, type RelayState } from '@crosstalk/core';
import { archiveOrphans, removeCopies } from '../copies/archive.js';
import { copyPath, diskBytes, ensureCopiesDir, repairCopies } from '../copies/copies.js';
import { ConversationFiles } from './conversation-files.js';
import { BodyCache, joinBodies, withoutBody } from './bodies.js';
import type { Cursor, StateStore } from './store.js';

/** Bodies of the conversations written last, kept so an active one is not read back at every turn. */
const BODY_CACHE_BYTES = 4 * 1024 * 1024;

export interface ReplicaHooks {
  /** After a copy is on disk and before the cursor that covers it is persisted. */
  afterCopyWritten?(info: { conversation: string; path: string; seq: number }): void | Promise<void>;
  afterCursorPersisted?(cursor: Cursor): void | Promise<void>;
}

export interface Gap {
  /** The replica holds everything up to here; replay after it. */
  after: number;
  /** The event that could not apply. */
  seq: number;
  detail: string;
}

export interface BatchOutcome {
  applied: number;
  gap: Gap | null;
  /** Conversations whose state and copy were rewritten. */
  changed: string[];
  sessionsChanged: boolean;
  receipts: ReceiptEvent[];
  /** Conversations deleted: their copies and state removed. */
  deleted: string[];
}

/** The disk budget was reached: the replica stopped before the event that opens a new conversation. */
export interface BudgetPause {
  /** The event not applied (a conversation.opened); the cursor stays before it. */
  seq: number;
  conversation: string;
  usedBytes: number;
  budgetBytes: number;
}

export interface ReplicaLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class Replica {
  private persisted: Cursor;
  private epoch: string | null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bytes each conversation's copy and state file take, and their sum. */
  private readonly sizes = new Map<string, number>();
  private used = 0;
  /** Turns of each conversation whose bodies are on disk only (the first n). */
  private readonly onDisk = new Map<string, number>();
  private readonly bodies = new BodyCache(BODY_CACHE_BYTES);
  /** Writes the conversations' files, and syncs them before a cursor. */
  private readonly files: ConversationFiles;
  /** Set while the disk budget holds the replica back; cleared when it applies past that point. */
  pausedAt: BudgetPause | null = null;

  private constructor(
    private readonly store: StateStore,
    readonly copiesDir: string,
    private readonly relayId: string,
    private current: RelayState,
    cursor: Cursor,
    private readonly hooks: ReplicaHooks,
    private readonly log: ReplicaLogger,
    readonly budgetBytes: number,
  ) {
    this.persisted = cursor;
    this.epoch = cursor.epoch;
    this.files = new ConversationFiles(store, copiesDir);
  }

  /** Loads the stored state and rewrites any copy that does not match it. */
  static async open(options: {
    store: StateStore;
    copiesDir: string;
    relayId: string;
    hooks?: ReplicaHooks | undefined;
    log: ReplicaLogger;
    /**
     * Bytes the copies and state files may take. Past it no new conversation is applied (the
     * replica stops before it, the cursor with it), so nothing is lost: a larger budget at the
     * next start catches up from the cursor. Default: no budget.
     */
    diskBudgetBytes?: number;
  }): Promise<Replica> {
    const replica = new Replica(
      options.store,
      options.copiesDir,
      options.relayId,
      emptyState(),
      { relayId: options.relayId, epoch: null, seq: 0 },
      options.hooks ?? {},
      options.log,
      options.diskBudgetBytes ?? Number.POSITIVE_INFINITY,
    );
    await replica.loadNow();
    return replica;
  }

  /** The state as applied so far (read-only for callers). */
  get state(): RelayState {
    return this.current;
  }

  /** Forgets what is in memory and loads what is on disk again (after a failed write). */
  reload(): Promise<void> {
    return this.serial(() => this.loadNow());
  }

  private async loadNow(): Promise<void> {
    await ensureCopiesDir(this.copiesDir);
    this.sizes.clear();
    this.used = 0;
    this.onDisk.clear();
    this.bodies.clear();
    // Each conversation is seen whole once, as it is read: its copy checked, its size taken.
    const repaired: string[] = [];
    const loaded = await this.store.load(this.relayId, async (c) => {
      repaired.push(...(await repairCopies(this.copiesDir, [c])));
      this.measure(c);
    });
    if (loaded.dropped) {
      this.log.warn({ reason: loaded.dropped }, 'stored state dropped; rebuilding from the relay');
      this.sizes.clear();
      this.used = 0;
    }
    if (repaired.length > 0) this.log.info({ repaired }, 'rewrote missing or damaged copies');
    this.current = loaded.state;
    for (const c of loaded.state.conversations.values()) this.onDisk.set(c.id, c.turns.length);
    this.files.reset(loaded.state.conversations.keys());
    this.persisted = loaded.cursor;
    this.epoch = loaded.cursor.epoch;
  }

  /** Bytes the copies and state files of the conversations take now. */
  get usedBytes(): number {
    return this.used;
  }

  private measure(c: Conversation): void {
    this.setSize(c.id, diskBytes(c));
  }

  private setSize(id: string, bytes: number): void {
    this.used += bytes - (this.sizes.get(id) ?? 0);
    this.sizes.set(id, bytes);
  }

  /** Seq of the last event applied and written (between batches, every applied event is on disk). */
  get seq(): number {
    return this.state.seq;
  }

  get currentEpoch(): string | null {
    return this.epoch;
  }

  get persistedCursor(): Cursor {
    return this.persisted;
  }

  /** The conversation as applied, without its turns' bodies (see `readConversation`). */
  conversation(id: string): Conversation | undefined {
    return this.state.conversations.get(id);
  }

  /** The conversation whole, bodies read back from its file. */
  readConversation(id: string): Promise<Conversation | undefined> {
    return this.serial(async () => {
      const c = this.state.conversations.get(id);
      return c ? this.whole(c) : undefined;
    });
  }

  /** `c` with every body: those on disk read back, the newer ones from memory. */
  private async whole(c: Conversation): Promise<Conversation> {
    const onDisk = this.onDisk.get(c.id) ?? 0;
    const stored = onDisk === 0 ? undefined : (this.bodies.get(c.id) ?? (await this.store.readBodies(c.id)));
    const full = joinBodies(c, onDisk, stored);
    if (!full) throw new CrosstalkError('FILE_UNREADABLE', `${this.store.conversationPath(c.id)} no longer holds the bodies of ${c.id}'s ${onDisk} turns`);
    return full;
  }

  copyPath(id: string): string {
    return copyPath(this.copiesDir, id, this.current.conversations.get(id)?.archived === true);
  }

  /** Moves copies of conversations this replica does not hold into the archive folder; the ids moved. */
  archiveOrphans(): Promise<string[]> {
    return this.serial(() => archiveOrphans(this.copiesDir, new Set(this.current.conversations.keys())));
  }

  /** Runs one operation at a time: batches, cursor writes and resyncs never interleave. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    // The caller gets the failure through `next`; the queue itself only orders, and goes on.
    this.queue = next.catch(() => undefined);
    return next;
  }

  apply(events: readonly RelayEvent[]): Promise<BatchOutcome> {
    return this.serial(() => this.applyNow(events));
  }

  private async applyNow(events: readonly RelayEvent[]): Promise<BatchOutcome> {
    const state = this.current;
    const changed = new Map<string, Conversation>();
    /** Deleted conversations: their copies and state go. */
    const deleted = new Set<string>();
    const receipts: ReceiptEvent[] = [];
    let sessionsChanged = false;
    let applied = 0;
    let gap: Gap | null = null;
    for (const event of events) {
      if (event.seq <= state.seq) continue;
      // The log has no holes: a jump means events were lost on the way, and applying past them
      // would make them look old (and be skipped) when they come again.
      if (event.seq !== state.seq + 1) {
        gap = { after: state.seq, seq: event.seq, detail: `expected event ${state.seq + 1}, got ${event.seq}` };
        break;
      }
      // Past the disk budget no new conversation comes in: stop before it (the cursor with it).
      if (event.type === 'conversation.opened' && this.used >= this.budgetBytes) {
        if (this.pausedAt?.seq !== event.seq) {
          this.pausedAt = { seq: event.seq, conversation: event.conversation.id, usedBytes: this.used, budgetBytes: this.budgetBytes };
          this.log.warn(
            { ...this.pausedAt, hint: 'raise diskBudgetMiB in the agent config and restart the agent; it catches up from its cursor' },
            'DISK BUDGET REACHED: not writing new conversations; nothing is lost, the cursor stays before them',
          );
        }
        break;
      }
      let touched: Conversation | undefined;
      try {
        touched = applyEvent(state, event);
      } catch (err) {
        if (!(err instanceof EventGapError)) throw err;
        gap = { after: state.seq, seq: event.seq, detail: err.message };
        break;
      }
      applied++;
      if (touched) changed.set(touched.id, touched);
      if (event.type === 'conversation.deleted') {
        changed.delete(event.conversation);
        deleted.add(event.conversation);
      }
      // Counted at once, so one batch cannot open its way past the budget; turns at the batch's end.
      if (touched && event.type === 'conversation.opened') this.measure(touched);
      if (event.type === 'session.registered' || event.type === 'session.unregistered' || event.type === 'host.revoked') sessionsChanged = true;
      if (event.type === 'receipt') receipts.push(event);
    }
    // The agent never decides rules, so the relay's idempotency and invite books would only grow.
    state.idempotency.clear();
    state.invites.clear();

    // State and copy are written side by side: a copy that got ahead of its state in a crash is
    // left alone at start (see repairCopies) and rewritten when the replay reapplies the events.
    // Each file is replaced without an fsync; the state files reach the disk before the cursor
    // that covers them (conversation-files.ts).
    const written = await this.files.writeAll(
      [...changed.values()],
      (c) => this.onDisk.get(c.id) ?? 0,
      (c) => this.whole(c),
    );
    for (const w of written) {
      const c = changed.get(w.conversation) as Conversation;
      this.setSize(c.id, w.bytes);
      // The cache keeps the bodies of a conversation built whole; one appended to would miss the new ones.
      if (w.whole)
        this.bodies.set(
          c.id,
          w.whole.turns.map((t) => t.body),
        );
      else this.bodies.delete(c.id);
      // On disk now: memory lets go of the bodies.
      for (let i = this.onDisk.get(c.id) ?? 0; i < c.turns.length; i++) c.turns[i] = withoutBody(c.turns[i] as Conversation['turns'][number]);
      this.onDisk.set(c.id, c.turns.length);
    }
    for (const w of written) await this.hooks.afterCopyWritten?.({ conversation: w.conversation, path: w.path, seq: w.seq });
    for (const id of deleted) {
      await removeCopies(this.copiesDir, id);
      await this.store.removeConversation(id);
      this.setSize(id, 0);
      this.sizes.delete(id);
      this.onDisk.delete(id);
      this.bodies.delete(id);
      this.files.forget(id);
    }
    if (this.pausedAt && state.seq >= this.pausedAt.seq) this.pausedAt = null;
    if (sessionsChanged) await this.store.writeSessions(state.sessions.values());
    return { applied, gap, changed: [...changed.keys()], sessionsChanged, receipts, deleted: [...deleted] };
  }

  /** Persists the cursor if the replica moved past it. Returns whether it wrote. */
  persistCursor(): Promise<boolean> {
    return this.serial(async () => {
      if (this.state.seq === this.persisted.seq && this.epoch === this.persisted.epoch) return false;
      const cursor: Cursor = { relayId: this.relayId, epoch: this.epoch, seq: this.state.seq };
      // The cursor never gets ahead of what is on disk: first every state file written since the last one.
      await this.files.syncWritten();
      await this.store.writeCursor(cursor);
      this.persisted = cursor;
      await this.hooks.afterCursorPersisted?.(cursor);
      return true;
    });
  }

  /**
   * The relay's log was replaced (another epoch): drop everything and start again from seq 0.
   * Copies are rewritten as the new log is applied. With no epoch yet, the welcome's is adopted.
   */
  adoptEpoch(epoch: string, resync: boolean): Promise<void> {
    return this.serial(async () => {
      if (resync || (this.epoch !== null && this.epoch !== epoch)) {
        await this.store.clear();
        this.current = emptyState();
        this.onDisk.clear();
        this.bodies.clear();
        this.files.reset([]);
        this.sizes.clear();
        this.used = 0;
        this.pausedAt = null;
      } else if (this.epoch === epoch) {
        return;
      }
      this.epoch = epoch;
      const cursor: Cursor = { relayId: this.relayId, epoch, seq: this.state.seq };
      await this.store.writeCursor(cursor);
      this.persisted = cursor;
    });
  }
}
