// Turns the replica's state into wake-ups: one per (conversation, turn, session), typed through
// the platform's wake adapter, retried while the terminal is busy, reminded while unanswered, and
// reported with a receipt for every attempt. Acts only while the replica is live (linked and
// caught up), so it never types a line about a state that is already stale.
import type { Conversation, Receipt, ReceiptBody, SessionKind, WakeTarget } from '@crosstalk/core';
import type { WakeAdapter, WakeOutcome } from '../terminals/index.js';
import type { WakeEntry, WakeJournal } from './journal.js';
import { DEFAULT_WAKE_RETRY, settleDelivered, settleOutcome, type ReceiptNote, type WakeRetry } from './outcome.js';
import { pastForGood, stillWanted, wakeForUnanswered, wakeKey, wakeLine, wakesFor, type WakeSpec } from './plan.js';

export interface WakeView {
  conversation(id: string): Conversation | undefined;
  conversationIds(): Iterable<string>;
  /** Whether the session is registered to this host. */
  isLocal(session: string): boolean;
  target(session: string): WakeTarget | undefined;
  /** The session's coding agent, which decides how its screen is checked before typing. */
  kind(session: string): SessionKind | undefined;
  copyPath(id: string): string;
}

export interface DeliveryLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OrchestratorOptions {
  adapter: WakeAdapter;
  journal: WakeJournal;
  view: WakeView;
  nudgeAfterMs: number;
  maxNudges: number;
  retry?: WakeRetry | undefined;
  sendReceipt(receipt: ReceiptBody): void;
  /**
   * Whether the session's own `crosstalk wait` or `ask` tells it of this turn: a line typed while
   * that command runs would come back as a second prompt once it returns.
   */
  toldByWait?(session: string, conversation: string, turn: number): Promise<boolean>;
  log: DeliveryLogger;
  now?: () => number;
  /** Observer of every attempt (status file, tests). */
  onAttempt?(info: { spec: WakeSpec; attempt: number; line: string | null; outcome: WakeOutcome }): void;
}

export class WakeOrchestrator {
  private live = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly queued = new Set<string>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly retry: WakeRetry;
  private readonly now: () => number;

  constructor(private readonly options: OrchestratorOptions) {
    this.retry = options.retry ?? DEFAULT_WAKE_RETRY;
    this.now = options.now ?? Date.now;
  }

  /** Live: linked and caught up. Wake-ups wait while not live. */
  setLive(live: boolean): void {
    this.live = live;
    if (live) this.runDue();
    else this.clearTimer();
  }

  /** Plans the wake-ups that these conversations' states ask for, and starts the due ones. */
  plan(conversationIds: Iterable<string>): void {
    const { journal, view } = this.options;
    const now = this.now();
    const ids = new Set(conversationIds);
    for (const entry of journal.all()) {
      if (entry.phase === 'done' && ids.has(entry.conversation) && pastForGood(entry, view.conversation(entry.conversation))) journal.delete(entry);
    }
    for (const id of ids) {
      const c = view.conversation(id);
      if (!c) continue;
      for (const spec of wakesFor(c, (s) => view.isLocal(s))) {
        if (!journal.has(spec)) journal.add(spec, now);
      }
    }
    // No write before typing starts: a plan lost in a crash is made again from the state, and the
    // attempt itself is recorded before anything is typed.
    this.runDue();
  }

  /** A participant was reported `unanswered` (or could not be woken): wake its moderator if the moderator is here. */
  planUnanswered(receipts: Iterable<Receipt>): void {
    const { journal, view } = this.options;
    let added = false;
    for (const receipt of receipts) {
      const spec = wakeForUnanswered(receipt, view.conversation(receipt.conversation), (s) => view.isLocal(s));
      if (spec && !journal.has(spec)) {
        journal.add(spec, this.now());
        added = true;
      }
    }
    if (added) this.runDue();
  }

  /** The relay's log was replaced: what was woken belongs to the old log. */
  async reset(): Promise<void> {
    this.options.journal.clear();
    await this.options.journal.flush();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await Promise.all([...this.chains.values()]);
    // Stopping goes on whatever the disk says: a wake-up not on record is at worst typed again.
    await this.options.journal.flush().catch((err: unknown) => this.options.log.warn({ err: String(err) }, 'could not write the wake journal while stopping'));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Starts every entry whose time has come and sets a timer for the next one. */
  private runDue(): void {
    this.clearTimer();
    if (!this.live || this.stopped) return;
    const now = this.now();
    let next = Infinity;
    for (const entry of this.options.journal.all()) {
      if (entry.phase !== 'due' && entry.phase !== 'waiting') continue;
      const key = wakeKey(entry);
      if (this.queued.has(key)) continue;
      if (entry.dueAt > now) {
        next = Math.min(next, entry.dueAt);
        continue;
      }
      this.queued.add(key);
      // One terminal, one typist: attempts for the same session never overlap.
      this.enqueue(entry.session, async () => {
        try {
          await this.step(entry);
        } catch (err) {
          this.options.log.warn({ err: String(err), wake: key }, 'wake-up step failed');
        } finally {
          this.queued.delete(key);
        }
      });
    }
    if (next !== Infinity) {
      this.timer = setTimeout(() => this.runDue(), Math.max(0, next - now));
      this.timer.unref?.();
    }
  }

  private enqueue(session: string, task: () => Promise<void>): void {
    const previous = this.chains.get(session) ?? Promise.resolve();
    const run = previous.then(task);
    this.chains.set(session, run);
    void run.then(() => {
      if (this.chains.get(session) === run) this.chains.delete(session);
      this.runDue();
    });
  }

  private async step(entry: WakeEntry): Promise<void> {
    const { journal, view } = this.options;
    if (!this.live || this.stopped || journal.get(entry) !== entry) return;
    const c = view.conversation(entry.conversation);
    if (!stillWanted(entry, c, (s) => view.isLocal(s)) || !c) {
      this.finish(entry);
      return;
    }
    if (entry.phase === 'waiting') {
      if (entry.attempt - 1 >= this.options.maxNudges) {
        this.receipt(entry, 'failed', 'unanswered');
        this.finish(entry);
        await journal.flush();
        return;
      }
      entry.attempt++;
      entry.deferrals = 0;
    }
    await this.attempt(entry, c);
  }

  /** One attempt: no target, told by its own wait, or typed; then the receipt and the journal. */
  private async attempt(entry: WakeEntry, c: Conversation): Promise<void> {
    const { journal, view } = this.options;
    const target = view.target(entry.session);
    let note: ReceiptNote;
    if (!target || target.type === 'none') note = this.noTarget(entry);
    else if (await this.toldByWait(entry)) note = this.leftToWait(entry);
    else note = await this.typeLine(entry, c, target);
    this.receipt(entry, note.status, note.reason);
    journal.touch();
    await journal.flush();
  }

  private noTarget(entry: WakeEntry): ReceiptNote {
    this.options.onAttempt?.({ spec: entry, attempt: entry.attempt, line: null, outcome: { status: 'failed', reason: 'no-wake-target' } });
    entry.phase = 'done';
    return { status: 'failed', reason: 'no-wake-target' };
  }

  /** The session hears of the turn from its own `crosstalk wait` or `ask`: nothing is typed. */
  private leftToWait(entry: WakeEntry): ReceiptNote {
    this.options.onAttempt?.({ spec: entry, attempt: entry.attempt, line: null, outcome: { status: 'delivered' } });
    this.options.log.info({ wake: wakeKey(entry), attempt: entry.attempt }, 'wake-up not typed: the session hears of this turn from its own wait');
    settleDelivered(entry, this.now(), this.options.nudgeAfterMs);
    return { status: 'delivered', reason: 'waiting' };
  }

  /** Types the line through the adapter, once the attempt is on record. */
  private async typeLine(entry: WakeEntry, c: Conversation, target: WakeTarget): Promise<ReceiptNote> {
    const { journal, view, adapter } = this.options;
    entry.phase = 'typing';
    journal.touch();
    // The attempt is on disk before anything is typed; the adapter checks the terminal meanwhile.
    const recorded = journal.flush();
    // Awaited below; this only keeps a failed write from counting as unhandled meanwhile.
    recorded.catch(() => undefined);
    const line = wakeLine(entry, c, view.copyPath(c.id), entry.attempt);
    let outcome: WakeOutcome;
    try {
      outcome = await adapter.wake(target, line, { beforeTyping: recorded, kind: view.kind(entry.session) });
    } catch (err) {
      // An adapter that throws made a failed attempt: the receipt and the log below carry why.
      outcome = { status: 'failed', reason: 'wake-error', detail: String(err) };
    }
    // A record that could not be written fails the step, as before: nothing was typed.
    await recorded;
    this.options.onAttempt?.({ spec: entry, attempt: entry.attempt, line, outcome });
    this.options.log.info({ wake: wakeKey(entry), attempt: entry.attempt, outcome }, 'wake-up attempt');
    return settleOutcome(entry, outcome, this.now(), { retry: this.retry, nudgeAfterMs: this.options.nudgeAfterMs });
  }

  /** Only a first call about a turn: a reminder is typed whoever told the session first. */
  private async toldByWait(entry: WakeEntry): Promise<boolean> {
    if (entry.kind === 'unanswered' || entry.attempt !== 1 || !this.options.toldByWait) return false;
    try {
      return await this.options.toldByWait(entry.session, entry.conversation, entry.turn);
    } catch (err) {
      // When in doubt the line is typed: a wait mark that cannot be read counts as none (docs/AGENT.md).
      this.options.log.warn({ err: String(err), wake: wakeKey(entry) }, "could not read the session's wait mark; typing the wake-up");
      return false;
    }
  }

  private finish(entry: WakeEntry): void {
    entry.phase = 'done';
    this.options.journal.touch();
  }

  private receipt(entry: WakeEntry, status: ReceiptBody['status'], reason?: string): void {
    const body: ReceiptBody = { session: entry.session, conversation: entry.conversation, turn: entry.turn, status, attempt: Math.min(entry.attempt, 100) };
    if (reason !== undefined) body.reason = reason;
    this.options.sendReceipt(body);
  }
}
