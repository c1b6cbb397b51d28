// Turns the replica's state into wake-ups: one per (conversation, turn, session), held while the
// session works (when its hooks say so), handed over through its hooks or typed through the
// platform's wake adapter, retried while the terminal is busy, reminded while unanswered, and
// reported with a receipt for every attempt. Acts only while the replica is live (linked and
// caught up), so it never delivers a line about a state that is already stale.
import type { Receipt, ReceiptBody } from '@crosstalk/core';
import { WakeAttempt } from './attempt.js';
import type { WakeEntry } from './journal.js';
import type { OrchestratorOptions } from './options.js';
import { DEFAULT_WAKE_RETRY, settleDelivered, type WakeRetry } from './outcome.js';
import { pastForGood, stillWanted, wakeForUnanswered, wakeKey, wakeLine, wakesFor } from './plan.js';
import { type ActivityView, busy, type HoldTimes, holdReason, recheckAt, remindAfterIdle, route } from './policy.js';

export type { DeliveryLogger, Handover, OrchestratorOptions, WakeView } from './options.js';

/** Claude Code ends a turn after 8 Stop-hook blocks in a row; one is always left to it. */
export const MAX_STOP_BLOCKS = 7;
const DEFAULT_RECHECK_MS = 60_000;
const DEFAULT_DIALOG_RECHECK_MS = 3_000;
/** How long a Stop hook waits for a step of its session in progress (its answer budget is 3 s). */
const STEP_WAIT_MS = 1_000;
const DEFAULT_IDLE_GRACE_MS = 20_000;

export class WakeOrchestrator {
  private live = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly queued = new Set<string>();
  /** Entries whose step runs now: a Stop hook must not hand them over meanwhile. */
  private readonly active = new Set<string>();
  /** Entries a Stop hook is handing over now: no step may attempt them meanwhile. */
  private readonly handing = new Set<string>();
  /** Stop-hook blocks in a row, per session. */
  private readonly stopBlocks = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly retry: WakeRetry;
  private readonly now: () => number;
  private readonly attempts: WakeAttempt;

  constructor(private readonly options: OrchestratorOptions) {
    this.retry = options.retry ?? DEFAULT_WAKE_RETRY;
    this.now = options.now ?? Date.now;
    this.attempts = new WakeAttempt(options, {
      now: this.now,
      retry: this.retry,
      holdTimes: this.holdTimes,
      delivered: (entry) => this.delivered(entry),
      receipt: (entry, status, reason) => this.receipt(entry, status, reason),
    });
  }

  /** Live: linked and caught up. Wake-ups wait while not live. */
  setLive(live: boolean): void {
    this.live = live;
    if (live) this.runDue();
    else this.clearTimer();
  }

  /**
   * A session this agent types into: its own, and not a person's (`human`), who hears of a turn
   * from the web page. A human is left out of every plan, so no attempt and no receipt is made.
   */
  private typedInto(session: string): boolean {
    const { view } = this.options;
    return view.isLocal(session) && view.kind(session) !== 'human';
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
      for (const spec of wakesFor(c, (s) => this.typedInto(s))) {
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
      const spec = wakeForUnanswered(receipt, view.conversation(receipt.conversation), (s) => this.typedInto(s));
      if (spec && !journal.has(spec)) {
        journal.add(spec, this.now());
        added = true;
      }
    }
    if (added) this.runDue();
  }

  /**
   * A Stop hook of the session asks whether a turn is pending: the oldest wake-up owed to it is
   * handed over (on record first) and its line returned, for the hook to continue the session
   * with; null when none is, or after MAX_STOP_BLOCKS continuations in a row.
   */
  async takeForStop(session: string, continued: boolean): Promise<string | null> {
    if (!continued) this.stopBlocks.delete(session);
    const blocks = this.stopBlocks.get(session) ?? 0;
    if (!this.live || this.stopped || blocks >= MAX_STOP_BLOCKS) return null;
    // A step that is just holding a turn for this session ends in a moment: the hook may take it then.
    const chain = this.chains.get(session);
    if (chain) await Promise.race([chain, new Promise((resolve) => setTimeout(resolve, STEP_WAIT_MS).unref?.())]);
    const { journal } = this.options;
    for (const entry of journal.all()) {
      const key = wakeKey(entry);
      if (entry.session !== session || this.active.has(key) || this.handing.has(key) || !this.owed(entry)) continue;
      this.handing.add(key);
      try {
        const line = await this.handOverAtStop(entry);
        if (line === null) continue;
        this.stopBlocks.set(session, blocks + 1);
        return line;
      } finally {
        this.handing.delete(key);
      }
    }
    await journal.flush();
    return null;
  }

  /** The session's state changed: an idle one gets what was held for it, and its reminders soon. */
  stateChanged(session: string): void {
    const { state } = this.activity(session);
    if (busy(state)) return;
    const now = this.now();
    for (const entry of this.options.journal.all()) {
      if (entry.session !== session) continue;
      if (entry.held && (entry.phase === 'due' || entry.phase === 'waiting')) entry.dueAt = now;
      else if (state === 'idle') {
        const at = remindAfterIdle(entry, now, this.options.idleGraceMs ?? DEFAULT_IDLE_GRACE_MS);
        if (at !== null) entry.dueAt = at;
      }
    }
    this.options.journal.touch();
    this.runDue();
  }

  /** Wake-ups owed to the session and not delivered yet. */
  pending(session: string): number {
    let n = 0;
    for (const entry of this.options.journal.all()) if (entry.session === session && entry.phase === 'due') n++;
    return n;
  }

  /** Wake-ups to the session that failed while the turn they announce is still its own. */
  failedOwed(session: string): Array<{ conversation: string; turn: number }> {
    const { journal, view } = this.options;
    const owed: Array<{ conversation: string; turn: number }> = [];
    for (const entry of journal.all()) {
      if (entry.session !== session || entry.phase !== 'done' || !entry.failed) continue;
      if (stillWanted(entry, view.conversation(entry.conversation), (s) => view.isLocal(s))) owed.push({ conversation: entry.conversation, turn: entry.turn });
    }
    return owed.slice(0, 100);
  }

  /** The session came back (joined again, or its coding agent started again): what failed is tried again. */
  retryFailed(session: string): void {
    const { journal, view } = this.options;
    let again = false;
    for (const entry of journal.all()) {
      if (entry.session !== session || entry.phase !== 'done' || !entry.failed) continue;
      if (!stillWanted(entry, view.conversation(entry.conversation), (s) => view.isLocal(s))) continue;
      Object.assign(entry, { phase: 'due', dueAt: this.now(), failed: false, held: false, deferrals: 0 });
      again = true;
    }
    if (!again) return;
    this.options.log.info({ session }, 'the session is back: its failed wake-ups are tried again');
    journal.touch();
    this.runDue();
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
    const key = wakeKey(entry);
    this.active.add(key);
    try {
      await this.stepNow(entry);
    } finally {
      this.active.delete(key);
    }
  }

  private async stepNow(entry: WakeEntry): Promise<void> {
    const { journal, view } = this.options;
    if (!this.live || this.stopped || journal.get(entry) !== entry || this.handing.has(wakeKey(entry))) return;
    // A Stop hook may have handed it over while the step waited for its turn.
    if ((entry.phase !== 'due' && entry.phase !== 'waiting') || entry.dueAt > this.now()) return;
    const c = view.conversation(entry.conversation);
    if (!stillWanted(entry, c, (s) => this.typedInto(s)) || !c) {
      this.finish(entry);
      return;
    }
    // A reminder is counted once, when it falls due, whether it is then held or made.
    if (entry.phase === 'waiting' && !entry.held && !(await this.nextReminder(entry))) return;
    const activity = this.activity(entry.session);
    const way = route(entry, activity, this.now(), this.holdTimes);
    if (way === 'hold') await this.hold(entry, activity);
    else await this.attempts.run(entry, c, activity, way === 'recheck');
  }

  /** The next reminder of a delivered turn; false (and the moderator's notice) when none is left. */
  private async nextReminder(entry: WakeEntry): Promise<boolean> {
    if (entry.attempt - 1 >= this.options.maxNudges) {
      this.receipt(entry, 'failed', 'unanswered');
      this.finish(entry);
      await this.options.journal.flush();
      return false;
    }
    entry.attempt++;
    entry.deferrals = 0;
    return true;
  }

  /** Held until the session is idle: one receipt when the hold starts, none while it lasts. */
  private async hold(entry: WakeEntry, activity: ActivityView): Promise<void> {
    if (!entry.held) {
      entry.held = true;
      this.receipt(entry, 'deferred', holdReason(activity.state));
    }
    entry.dueAt = recheckAt(activity, this.now(), this.holdTimes);
    this.options.journal.touch();
    await this.options.journal.flush();
  }

  /** An attempt is owed to the session: due, held, or a reminder whose time has come. */
  private owed(entry: WakeEntry): boolean {
    return entry.phase === 'due' || (entry.phase === 'waiting' && (entry.held === true || entry.dueAt <= this.now()));
  }

  private async handOverAtStop(entry: WakeEntry): Promise<string | null> {
    const { journal, view } = this.options;
    const c = view.conversation(entry.conversation);
    if (!stillWanted(entry, c, (s) => view.isLocal(s)) || !c) {
      this.finish(entry);
      return null;
    }
    if (entry.phase === 'waiting' && !entry.held && !(await this.nextReminder(entry))) return null;
    const line = wakeLine(entry, c, view.copyPath(c.id), entry.attempt);
    this.delivered(entry);
    this.receipt(entry, 'delivered', 'hook');
    journal.touch();
    // On record before the hook answers: a line handed over is never handed over twice.
    await journal.flush();
    this.options.onAttempt?.({ spec: entry, attempt: entry.attempt, line, outcome: { status: 'delivered' } });
    this.options.log.info({ wake: wakeKey(entry), attempt: entry.attempt }, "wake-up handed over by the session's Stop hook");
    this.options.onHandedOver?.(entry.session, line, 'hook');
    return line;
  }

  private delivered(entry: WakeEntry): void {
    entry.held = false;
    settleDelivered(entry, this.now(), this.options.nudgeAfterMs);
  }

  private activity(session: string): ActivityView {
    return this.options.view.activity?.(session) ?? { state: 'unknown', heardAt: null };
  }

  private get holdTimes(): HoldTimes {
    return { recheckMs: this.options.recheckMs ?? DEFAULT_RECHECK_MS, dialogRecheckMs: this.options.dialogRecheckMs ?? DEFAULT_DIALOG_RECHECK_MS };
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
