// What arrives on the link, applied in order one batch at a time: the welcome settles the epoch
// (a new one drops everything), events go to the replica, a hole asks for a replay, the cursor is
// persisted (batched) after the copies and acknowledged. Once the replica has caught up with the
// head the relay announced, it is live and the wake-ups it asks for are planned.
import { CrosstalkError, isSpawnAuditEvent, PROTOCOL_VERSION, type Receipt, type RelayEvent, type ServerMessage as AnyServerMessage } from '@crosstalk/core';

/** What the link's log sync takes; answers to posts go to the post forwarder instead. */
export type ServerMessage = Extract<AnyServerMessage, { t: 'welcome' | 'events' | 'error' }>;
import type { RelayLink } from '../link/link.js';
import type { Replica } from '../state/replica.js';
import type { WakeOrchestrator } from '../delivery/orchestrator.js';
import type { AgentLogger } from './logger.js';
import type { AgentTuning } from './tuning.js';

/** Events taken into one batch at most, when frames queue up while a batch is written. */
const MAX_BATCH_EVENTS = 5000;

export interface SyncDeps {
  replica: Replica;
  orchestrator: Pick<WakeOrchestrator, 'plan' | 'planUnanswered' | 'setLive' | 'reset'>;
  link: () => Pick<RelayLink, 'open' | 'send' | 'reconnect'> | null;
  log: AgentLogger;
  tuning: Pick<AgentTuning, 'cursorFlushMs' | 'ackIntervalMs' | 'replayTimeoutMs'>;
  /** The relay welcomed the link and the epoch is settled. */
  onLinked(info: { relayId: string; epoch: string; head: number; resync: boolean }): void;
  onSessionsChanged(): void;
  /** Something the status file shows changed. */
  onChange(): void;
  onError(error: unknown): void;
  /** The spawn and kill events of a batch that the replica applied (docs/SPAWN.md). */
  onApplied?(events: readonly RelayEvent[]): Promise<void>;
}

export class Sync {
  /** Latest seq the relay announced. */
  head: number | null = null;
  private live = false;
  private stopping = false;
  private readonly inbox: ServerMessage[] = [];
  private draining: Promise<void> | null = null;
  private awaitingReplay: { after: number; timer: NodeJS.Timeout } | null = null;
  /** Conversations changed while not live; planned once the replica has caught up. */
  private readonly dirty = new Set<string>();
  private readonly failedReceipts: Receipt[] = [];
  private cursorTimer: NodeJS.Timeout | null = null;
  private ackTimer: NodeJS.Timeout | null = null;
  private lastAck = 0;
  /** When the next batch may start (performance.now()): see drain. */
  private nextBatchAt = 0;
  /** Once caught up (after a start, or a replaced log), copies the relay no longer has go to the archive folder. */
  private sweepOrphans = true;

  constructor(private readonly deps: SyncDeps) {
    // What was stored but perhaps never planned (a crash between writing and planning).
    for (const id of deps.replica.state.conversations.keys()) this.dirty.add(id);
  }

  receive(message: ServerMessage): void {
    if (this.stopping) return;
    this.inbox.push(message);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  /** The link went down: nothing is live until the next welcome and catch-up. */
  linkDown(): void {
    this.clearReplayWait();
    this.setLive(false);
  }

  /** Stops taking messages, finishes the batch at hand, persists the cursor and acknowledges it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.setLive(false);
    this.clearReplayWait();
    await this.draining;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    if (this.ackTimer) clearTimeout(this.ackTimer);
    await this.deps.replica.persistCursor();
    this.sendAck();
  }

  private async drain(): Promise<void> {
    while (this.inbox.length > 0 && !this.stopping) {
      // Under a steady stream of events the replica writes at most half the time: a batch waits
      // as long as the one before took, and takes in everything that arrived meanwhile, so each
      // conversation's files are written once for many events. After a quiet spell it goes at once.
      const wait = this.nextBatchAt - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.stopping) break;
      const first = this.inbox.shift() as ServerMessage;
      try {
        if (first.t === 'welcome') await this.welcome(first);
        else if (first.t === 'error') this.relayError(first);
        else {
          const events: RelayEvent[] = [...first.events];
          while (this.inbox[0]?.t === 'events' && events.length < MAX_BATCH_EVENTS) {
            events.push(...(this.inbox.shift() as Extract<ServerMessage, { t: 'events' }>).events);
          }
          const started = performance.now();
          await this.apply(events);
          const done = performance.now();
          this.nextBatchAt = done + (done - started);
        }
      } catch (err) {
        await this.recover(err);
      }
    }
  }

  private async welcome(w: Extract<ServerMessage, { t: 'welcome' }>): Promise<void> {
    const { replica, log } = this.deps;
    if (w.protocol !== PROTOCOL_VERSION) {
      this.deps.onError(new CrosstalkError('PROTOCOL_MISMATCH', `the relay speaks protocol ${w.protocol}; this agent speaks ${PROTOCOL_VERSION}`));
    }
    this.clearReplayWait();
    this.head = w.head;
    const resync = w.resync || (replica.currentEpoch !== null && replica.currentEpoch !== w.epoch);
    if (resync) {
      log.warn({ from: replica.currentEpoch, to: w.epoch }, 'the relay log was replaced; rebuilding all state and copies');
      this.setLive(false);
      this.dirty.clear();
      this.failedReceipts.length = 0;
      this.sweepOrphans = true;
      await this.deps.orchestrator.reset();
    }
    await replica.adoptEpoch(w.epoch, resync);
    log.info({ relayId: w.relayId, epoch: w.epoch, head: w.head, cursor: replica.seq, resync }, 'linked to the relay');
    this.deps.onLinked({ relayId: w.relayId, epoch: w.epoch, head: w.head, resync });
    this.checkLive();
    this.deps.onChange();
  }

  private relayError(e: Extract<ServerMessage, { t: 'error' }>): void {
    this.deps.log.warn({ code: e.code, message: e.message }, 'the relay refused a message');
    this.deps.onError(CrosstalkError.fromBody(e));
  }

  private async apply(events: RelayEvent[]): Promise<void> {
    const { replica, log } = this.deps;
    const last = events[events.length - 1];
    if (last) this.head = Math.max(this.head ?? 0, last.seq);
    const before = replica.seq;
    const outcome = await replica.apply(events);
    if (outcome.gap) this.askReplay(outcome.gap.after, outcome.gap.detail);
    else if (this.awaitingReplay && replica.seq > this.awaitingReplay.after) this.clearReplayWait();
    if (replica.seq > before && this.deps.onApplied) {
      const audit = events.filter((e) => isSpawnAuditEvent(e) && e.seq > before && e.seq <= replica.seq);
      if (audit.length > 0) await this.deps.onApplied(audit);
    }
    if (replica.seq > before) this.scheduleCursor();
    if (outcome.sessionsChanged) {
      // A session that joined here may be next in conversations that did not change.
      for (const id of replica.state.conversations.keys()) this.dirty.add(id);
      this.deps.onSessionsChanged();
    }
    for (const id of outcome.changed) this.dirty.add(id);
    for (const r of outcome.receipts) if (r.receipt.status === 'failed') this.failedReceipts.push(r.receipt);
    if (outcome.applied > 0) log.debug({ applied: outcome.applied, seq: replica.seq, changed: outcome.changed }, 'applied events');
    this.checkLive();
    this.deps.onChange();
  }

  /** Live = linked, caught up with the announced head, no replay outstanding. */
  private checkLive(): void {
    // Held back by the disk budget counts as caught up: what was applied is woken for.
    const { replica } = this.deps;
    const applied = this.head !== null && (replica.seq >= this.head || replica.pausedAt !== null);
    const caughtUp = this.deps.link()?.open === true && applied && !this.awaitingReplay;
    if (caughtUp) {
      if (this.dirty.size > 0) this.deps.orchestrator.plan([...this.dirty]);
      this.dirty.clear();
      if (this.failedReceipts.length > 0) this.deps.orchestrator.planUnanswered(this.failedReceipts.splice(0));
      if (this.sweepOrphans) this.archiveOrphans();
    }
    this.setLive(caughtUp);
  }

  private archiveOrphans(): void {
    this.sweepOrphans = false;
    this.deps.replica.archiveOrphans().then(
      (moved) => {
        if (moved.length > 0) this.deps.log.info({ moved }, 'moved copies of conversations the relay no longer has to the archive folder');
      },
      (err: unknown) => this.deps.log.warn({ err: String(err) }, 'could not move old copies to the archive folder'),
    );
  }

  private setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    this.deps.orchestrator.setLive(live);
  }

  private askReplay(after: number, detail: string): void {
    if (this.awaitingReplay) return;
    this.deps.log.warn({ after, detail }, 'events missing; asking the relay to replay');
    this.deps.link()?.send({ t: 'replay', after });
    const timer = setTimeout(() => {
      if (this.awaitingReplay && this.deps.replica.seq <= after) this.deps.link()?.reconnect('replay did not arrive');
      this.clearReplayWait();
    }, this.deps.tuning.replayTimeoutMs);
    this.awaitingReplay = { after, timer };
  }

  private clearReplayWait(): void {
    if (this.awaitingReplay) clearTimeout(this.awaitingReplay.timer);
    this.awaitingReplay = null;
  }

  /** A batch could not be written: reload what is on disk and continue from there. */
  private async recover(err: unknown): Promise<void> {
    const { log, replica } = this.deps;
    log.error({ err: String(err) }, 'could not apply events; reloading state from disk');
    this.deps.onError(err);
    this.setLive(false);
    this.inbox.length = 0;
    try {
      await replica.reload();
      for (const id of replica.state.conversations.keys()) this.dirty.add(id);
    } catch (again) {
      log.error({ err: String(again) }, 'could not reload state');
    }
    this.deps.link()?.reconnect('state reloaded after an error');
  }

  private scheduleCursor(): void {
    if (this.cursorTimer) return;
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = null;
      this.deps.replica.persistCursor().then(
        () => this.scheduleAck(),
        (err: unknown) => {
          this.deps.log.error({ err: String(err) }, 'could not persist the cursor');
          this.deps.onError(err);
        },
      );
    }, this.deps.tuning.cursorFlushMs);
  }

  private scheduleAck(): void {
    if (this.ackTimer) return;
    const wait = Math.max(0, this.lastAck + this.deps.tuning.ackIntervalMs - Date.now());
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      this.sendAck();
    }, wait);
  }

  private sendAck(): void {
    if (this.deps.link()?.send({ t: 'ack', seq: this.deps.replica.persistedCursor.seq })) this.lastAck = Date.now();
  }
}
