// One wake-up attempt, once the orchestrator decided it goes now: no target, told by the session's
// own wait, or through the terminal adapter (typed, or handed to a hook that waits to wake an idle
// session once the same checks passed); then the receipt and the journal.
import type { Conversation, ReceiptBody, WakeTarget } from '@crosstalk/core';
import type { WakeOutcome } from '../terminals/index.js';
import type { WakeEntry } from './journal.js';
import type { OrchestratorOptions } from './options.js';
import { settleOutcome, type ReceiptNote, type WakeRetry } from './outcome.js';
import { wakeKey, wakeLine } from './plan.js';
import { type ActivityView, type HoldTimes, recheckAt, SCREEN_LAG_RETRY_MS, screenLags } from './policy.js';

/** What an attempt needs of its orchestrator. */
export interface AttemptDeps {
  now(): number;
  retry: WakeRetry;
  holdTimes: HoldTimes;
  delivered(entry: WakeEntry): void;
  receipt(entry: WakeEntry, status: ReceiptBody['status'], reason?: string): void;
}

export class WakeAttempt {
  constructor(
    private readonly options: OrchestratorOptions,
    private readonly deps: AttemptDeps,
  ) {}

  /**
   * One attempt: no target, told by its own wait, handed to a waiting hook, or typed; then the
   * receipt and the journal. `activity`: what the session's hooks said when the step began.
   * `busyRecheck`: they said busy; a screen that agrees keeps the wake-up held instead of counting
   * a deferral.
   */
  async run(entry: WakeEntry, c: Conversation, activity: ActivityView, busyRecheck: boolean): Promise<void> {
    const { journal, view } = this.options;
    const target = view.target(entry.session);
    let note: ReceiptNote | null;
    if (!target || target.type === 'none') note = this.noTarget(entry);
    else if (await this.toldByWait(entry)) note = this.leftToWait(entry);
    else note = await this.typeLine(entry, c, target, activity, busyRecheck);
    if (note) this.deps.receipt(entry, note.status, note.reason);
    journal.touch();
    await journal.flush();
  }

  private noTarget(entry: WakeEntry): ReceiptNote {
    this.options.onAttempt?.({ spec: entry, attempt: entry.attempt, line: null, outcome: { status: 'failed', reason: 'no-wake-target' } });
    entry.phase = 'done';
    entry.failed = true;
    return { status: 'failed', reason: 'no-wake-target' };
  }

  /** The session hears of the turn from its own `crosstalk wait` or `ask`: nothing is typed. */
  private leftToWait(entry: WakeEntry): ReceiptNote {
    this.options.onAttempt?.({ spec: entry, attempt: entry.attempt, line: null, outcome: { status: 'delivered' } });
    this.options.log.info({ wake: wakeKey(entry), attempt: entry.attempt }, 'wake-up not typed: the session hears of this turn from its own wait');
    this.deps.delivered(entry);
    return { status: 'delivered', reason: 'waiting' };
  }

  /**
   * Types the line through the adapter, once the attempt is on record; an idle session with a hook
   * waiting to wake it gets the line through that hook instead, once the same checks passed.
   */
  private async typeLine(entry: WakeEntry, c: Conversation, target: WakeTarget, activity: ActivityView, busyRecheck: boolean): Promise<ReceiptNote | null> {
    const { journal, view, adapter } = this.options;
    const phase = entry.phase;
    entry.phase = 'typing';
    journal.touch();
    // The attempt is on disk before anything is typed; the adapter checks the terminal meanwhile.
    const recorded = journal.flush();
    // Awaited below; this only keeps a failed write from counting as unhandled meanwhile.
    recorded.catch(() => undefined);
    const line = wakeLine(entry, c, view.copyPath(c.id), entry.attempt);
    let outcome: WakeOutcome;
    try {
      outcome = await adapter.wake(target, line, {
        beforeTyping: recorded,
        kind: view.kind(entry.session),
        handOver: this.hookFor(entry.session, line, activity),
      });
    } catch (err) {
      // An adapter that throws made a failed attempt: the receipt and the log below carry why.
      outcome = { status: 'failed', reason: 'wake-error', detail: String(err) };
    }
    // A record that could not be written fails the step, as before: nothing was typed.
    await recorded;
    this.options.onAttempt?.({ spec: entry, attempt: entry.attempt, line, outcome });
    this.options.log.info({ wake: wakeKey(entry), attempt: entry.attempt, outcome }, 'wake-up attempt');
    if (busyRecheck && outcome.status === 'deferred' && (outcome.reason === 'busy' || outcome.reason === 'waiting-input')) {
      // The screen agrees with the hooks: still held, no deferral counted, no new receipt.
      entry.phase = phase;
      entry.dueAt = recheckAt({ ...activity, heardAt: this.deps.now() }, this.deps.now(), this.deps.holdTimes);
      return null;
    }
    if (phase === 'due' && outcome.status === 'deferred' && outcome.reason === 'busy' && screenLags(activity, this.deps.now())) {
      // The session's hook said idle a moment ago; its screen has not caught up yet.
      entry.phase = phase;
      entry.dueAt = this.deps.now() + SCREEN_LAG_RETRY_MS;
      return null;
    }
    entry.held = false;
    const note = settleOutcome(entry, outcome, this.deps.now(), { retry: this.deps.retry, nudgeAfterMs: this.options.nudgeAfterMs });
    if (outcome.status === 'delivered') this.options.onHandedOver?.(entry.session, line, outcome.via ?? 'typed');
    return note;
  }

  /** For an idle session: hands the line to a hook waiting to wake it, if one is there. */
  private hookFor(session: string, line: string, activity: ActivityView): (() => boolean) | undefined {
    const { offerToHook } = this.options;
    if (!offerToHook || activity.state !== 'idle') return undefined;
    return () => offerToHook(session, line);
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
}
