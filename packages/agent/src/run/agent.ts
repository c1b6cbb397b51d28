// The host agent: one link to the relay, a replica whose copies follow the log, wake-ups for the
// local sessions, receipts and presence back to the relay, and a status file for humans.
import { CrosstalkError, PROTOCOL_VERSION, type ReceiptBody, type ReceiptEvent, type RelayEvent, type ServerMessage } from '@crosstalk/core';
import { tokenSigner } from '@crosstalk/core/token';
import { join } from 'node:path';
import { readAgentConfig, readHostKey, type AgentConfig, type HomeLayout } from '../home/index.js';
import { Link } from '../link/link.js';
import { Replica, type ReplicaHooks } from '../state/replica.js';
import { StateStore } from '../state/store.js';
import { createWaker, type WakeAdapter, type WakeOutcome } from '../wake/index.js';
import { WakeLedger } from '../waking/ledger.js';
import { DEFAULT_WAKE_RETRY, WakeOrchestrator, type WakeRetry } from '../waking/orchestrator.js';
import type { WakeSpec } from '../waking/plan.js';
import { PresenceTracker } from '../waking/presence.js';
import { createLogger, type AgentLogger, type LogDestination, type LogLevel } from './logger.js';
import { StatusWriter, type AgentStatusSnapshot, type LastReceipt } from './status.js';

export interface AgentHooks extends ReplicaHooks {
  /** Every wake-up attempt, after the adapter answered. */
  onWakeAttempt?(info: { spec: WakeSpec; attempt: number; line: string | null; outcome: WakeOutcome }): void;
}

/** Knobs with production defaults; tests shorten them. */
export interface AgentTuning {
  /** The relay's heartbeat; the link is dropped after about two silent ones. */
  heartbeatMs: number;
  backoff: { baseMs: number; capMs: number };
  /** Delay that batches cursor writes. */
  cursorFlushMs: number;
  ackIntervalMs: number;
  statusIntervalMs: number;
  presenceIntervalMs: number;
  /** Without progress this long after asking for a replay, reconnect instead. */
  replayTimeoutMs: number;
  wakeRetry: WakeRetry;
  /** Receipts kept while the link is down; the oldest go first. */
  maxQueuedReceipts: number;
}

export const DEFAULT_TUNING: AgentTuning = {
  heartbeatMs: 15_000,
  backoff: { baseMs: 250, capMs: 30_000 },
  cursorFlushMs: 100,
  ackIntervalMs: 250,
  statusIntervalMs: 500,
  presenceIntervalMs: 30_000,
  replayTimeoutMs: 15_000,
  wakeRetry: DEFAULT_WAKE_RETRY,
  maxQueuedReceipts: 1000,
};

export interface RunAgentOptions {
  layout: HomeLayout;
  /** Read from `layout.config` when absent. */
  config?: AgentConfig | undefined;
  /** Overrides the config's log level. */
  logLevel?: LogLevel | undefined;
  /** Where logs go: a pino destination stream, a file path or a file descriptor (default stderr). */
  logDestination?: LogDestination | undefined;
  hooks?: AgentHooks | undefined;
  /** The wake adapter; default the platform's (tmux, Windows console). */
  waker?: WakeAdapter | undefined;
  tuning?: Partial<AgentTuning> | undefined;
}

export type StopReason = { reason: 'stopped' } | { reason: 'fatal'; error: CrosstalkError };

export interface RunningAgent {
  /** Flushes the cursor and state, closes the link with 1000. */
  stop(): Promise<void>;
  status(): AgentStatusSnapshot;
  /** Settles when the agent stopped: by stop(), or by itself (revoked, replaced by another agent). */
  readonly stopped: Promise<StopReason>;
}

export async function runAgent(options: RunAgentOptions): Promise<RunningAgent> {
  const { layout } = options;
  const config = options.config ?? (await readAgentConfig(layout.config));
  const key = await readHostKey(layout.hostKey);
  const log = createLogger(options.logLevel ?? config.logLevel, options.logDestination, { host: config.host });
  const signer = await tokenSigner(key, config.host, config.relayId);
  const tuning: AgentTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const hooks = options.hooks ?? {};

  const store = new StateStore(layout.stateDir);
  const replica = await Replica.open({ store, copiesDir: config.conversationsDir, relayId: config.relayId, hooks, log });
  log.info({ relayUrl: config.relayUrl, cursor: replica.seq, epoch: replica.currentEpoch, copies: config.conversationsDir }, 'agent starting');
  const ledger = await WakeLedger.open(join(layout.stateDir, 'wakes.json'), Date.now(), config.wake.nudgeAfterSeconds * 1000);
  const agent = new Agent({ config, layout, log, replica, ledger, tuning, hooks, waker: options.waker ?? defaultWaker(config, log) });
  agent.start(signer);
  return agent.handle();
}

function defaultWaker(config: AgentConfig, log: AgentLogger): WakeAdapter {
  return createWaker({ platform: process.platform, logger: log, timeouts: { userIdleMs: config.wake.quietMs, settleMs: config.wake.enterDelayMs } });
}

interface AgentParts {
  config: AgentConfig;
  layout: HomeLayout;
  log: AgentLogger;
  replica: Replica;
  ledger: WakeLedger;
  tuning: AgentTuning;
  hooks: AgentHooks;
  waker: WakeAdapter;
}

class Agent {
  private link: Link | null = null;
  private readonly startedAt = new Date().toISOString();
  private state: AgentStatusSnapshot['state'] = 'starting';
  private head: number | null = null;
  private lastError: AgentStatusSnapshot['lastError'] = null;
  private live = false;
  private stopping = false;
  private readonly inbox: ServerMessage[] = [];
  private draining: Promise<void> | null = null;
  private awaitingReplay: { after: number; timer: NodeJS.Timeout } | null = null;
  /** Conversations changed while not live; planned when the replica catches up. */
  private readonly dirty = new Set<string>();
  private readonly unansweredSeen: ReceiptEvent['receipt'][] = [];
  private readonly outbox: ReceiptBody[] = [];
  private readonly lastReceipts = new Map<string, LastReceipt>();
  private cursorTimer: NodeJS.Timeout | null = null;
  private ackTimer: NodeJS.Timeout | null = null;
  private lastAck = 0;
  private presenceTimer: NodeJS.Timeout | null = null;
  private readonly orchestrator: WakeOrchestrator;
  private readonly presence: PresenceTracker;
  private readonly statusWriter: StatusWriter;
  private resolveStopped: (r: StopReason) => void = () => {};
  private readonly stoppedPromise = new Promise<StopReason>((r) => (this.resolveStopped = r));
  private stopPromise: Promise<void> | null = null;
  private fatalError: CrosstalkError | null = null;

  constructor(private readonly p: AgentParts) {
    const { config, replica, log, tuning } = p;
    const isLocal = (s: string) => replica.state.sessions.get(s)?.host === config.host;
    this.orchestrator = new WakeOrchestrator({
      adapter: p.waker,
      ledger: p.ledger,
      view: {
        conversation: (id) => replica.conversation(id),
        conversationIds: () => replica.state.conversations.keys(),
        isLocal,
        target: (s) => replica.state.sessions.get(s)?.wake,
        copyPath: (id) => replica.copyPath(id),
      },
      nudgeAfterMs: config.wake.nudgeAfterSeconds * 1000,
      maxNudges: config.wake.maxNudges,
      retry: tuning.wakeRetry,
      sendReceipt: (r) => this.sendReceipt(r),
      log,
      onAttempt: (info) => p.hooks.onWakeAttempt?.(info),
    });
    this.presence = new PresenceTracker(p.waker, () => this.localSessions());
    // What was stored but perhaps never planned (a crash between writing and planning).
    for (const id of replica.state.conversations.keys()) this.dirty.add(id);
    this.statusWriter = new StatusWriter(p.layout.agentStatus, () => this.snapshot(), tuning.statusIntervalMs, (err) =>
      log.warn({ err: String(err) }, 'could not write the status file'),
    );
  }

  handle(): RunningAgent {
    return { stop: () => this.stop(), status: () => this.snapshot(), stopped: this.stoppedPromise };
  }

  start(signer: Awaited<ReturnType<typeof tokenSigner>>): void {
    const { config, log, tuning } = this.p;
    this.state = 'connecting';
    this.link = new Link({
      relayUrl: config.relayUrl,
      signer,
      role: 'agent',
      hello: () => ({ epoch: this.p.replica.currentEpoch, cursor: this.p.replica.seq }),
      log,
      heartbeatMs: tuning.heartbeatMs,
      backoff: tuning.backoff,
      handlers: {
        onMessage: (m) => this.receive(m),
        onDisconnect: (info) => this.disconnected(info),
        onFatal: (error) => void this.fatal(error),
      },
    });
    this.link.start();
    this.presenceTimer = setInterval(() => void this.reportPresence(false), tuning.presenceIntervalMs);
    void this.statusWriter.flush();
  }

  // --- incoming messages, applied one batch at a time ------------------------------------------

  private receive(message: ServerMessage): void {
    if (this.stopping) return;
    this.inbox.push(message);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    while (this.inbox.length > 0 && !this.stopping) {
      const first = this.inbox.shift() as ServerMessage;
      try {
        if (first.t === 'welcome') await this.welcome(first);
        else if (first.t === 'error') this.relayError(first);
        else {
          // Frames that queued up while a batch was being written go out as one batch.
          const events: RelayEvent[] = [...first.events];
          while (this.inbox[0]?.t === 'events' && events.length < 5000) events.push(...(this.inbox.shift() as { events: RelayEvent[] }).events);
          await this.applyEvents(events);
        }
      } catch (err) {
        await this.recover(err);
      }
    }
  }

  private async welcome(w: Extract<ServerMessage, { t: 'welcome' }>): Promise<void> {
    const { replica, log } = this.p;
    if (w.protocol !== PROTOCOL_VERSION) {
      this.setError(new CrosstalkError('PROTOCOL_MISMATCH', `the relay speaks protocol ${w.protocol}; this agent speaks ${PROTOCOL_VERSION}`));
    }
    this.clearReplayWait();
    this.head = w.head;
    const resync = w.resync || (replica.currentEpoch !== null && replica.currentEpoch !== w.epoch);
    if (resync) {
      log.warn({ from: replica.currentEpoch, to: w.epoch }, 'the relay log was replaced; rebuilding all state and copies');
      this.goLive(false);
      this.dirty.clear();
      await this.orchestrator.reset();
    }
    await replica.adoptEpoch(w.epoch, resync);
    this.state = 'connected';
    this.lastError = null;
    log.info({ relayId: w.relayId, epoch: w.epoch, head: w.head, cursor: replica.seq, resync }, 'linked to the relay');
    this.flushOutbox();
    void this.reportPresence(true);
    this.checkLive();
    this.statusWriter.update();
  }

  private relayError(e: Extract<ServerMessage, { t: 'error' }>): void {
    this.p.log.warn({ code: e.code, message: e.message }, 'the relay refused a message');
    this.setError(CrosstalkError.fromBody(e));
  }

  private async applyEvents(events: RelayEvent[]): Promise<void> {
    const { replica, log } = this.p;
    const last = events[events.length - 1];
    if (last) this.head = Math.max(this.head ?? 0, last.seq);
    const before = replica.seq;
    const outcome = await replica.apply(events);
    if (outcome.gap) this.askReplay(outcome.gap.after, outcome.gap.detail);
    else if (this.awaitingReplay && replica.seq > this.awaitingReplay.after) this.clearReplayWait();
    if (replica.seq > before) this.scheduleCursor();
    if (outcome.sessionsChanged) {
      for (const id of replica.state.conversations.keys()) this.dirty.add(id);
      void this.reportPresence(false);
    }
    for (const id of outcome.changed) this.dirty.add(id);
    for (const r of outcome.receipts) if (r.receipt.status === 'failed') this.unansweredSeen.push(r.receipt);
    if (outcome.applied > 0) log.debug({ applied: outcome.applied, seq: replica.seq, changed: outcome.changed }, 'applied events');
    this.checkLive();
    this.statusWriter.update();
  }

  /** Live = linked, caught up with the head the relay announced, no replay outstanding. */
  private checkLive(): void {
    const caughtUp = this.link?.open === true && this.head !== null && this.p.replica.seq >= this.head && !this.awaitingReplay;
    if (caughtUp) {
      if (this.dirty.size > 0) this.orchestrator.plan([...this.dirty]);
      this.dirty.clear();
      if (this.unansweredSeen.length > 0) this.orchestrator.planUnanswered(this.unansweredSeen.splice(0));
    }
    this.goLive(caughtUp);
  }

  private goLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    this.orchestrator.setLive(live);
  }

  private askReplay(after: number, detail: string): void {
    if (this.awaitingReplay) return;
    this.p.log.warn({ after, detail }, 'events missing; asking the relay to replay');
    this.link?.send({ t: 'replay', after });
    const timer = setTimeout(() => {
      if (this.awaitingReplay && this.p.replica.seq <= after) this.link?.reconnect('replay did not arrive');
      this.clearReplayWait();
    }, this.p.tuning.replayTimeoutMs);
    this.awaitingReplay = { after, timer };
  }

  private clearReplayWait(): void {
    if (this.awaitingReplay) clearTimeout(this.awaitingReplay.timer);
    this.awaitingReplay = null;
  }

  /** A batch could not be written: reload what is on disk and start over from there. */
  private async recover(err: unknown): Promise<void> {
    const { log } = this.p;
    log.error({ err: String(err) }, 'could not apply events; reloading state from disk');
    this.setError(err);
    this.goLive(false);
    this.inbox.length = 0;
    try {
      await this.p.replica.reload();
      for (const id of this.p.replica.state.conversations.keys()) this.dirty.add(id);
    } catch (again) {
      log.error({ err: String(again) }, 'could not reload state');
    }
    this.link?.reconnect('state reloaded after an error');
  }

  // --- cursor, ack, receipts, presence ---------------------------------------------------------

  private scheduleCursor(): void {
    if (this.cursorTimer) return;
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = null;
      void this.persistCursor();
    }, this.p.tuning.cursorFlushMs);
  }

  private async persistCursor(): Promise<void> {
    try {
      await this.p.replica.persistCursor();
      this.scheduleAck();
    } catch (err) {
      this.p.log.error({ err: String(err) }, 'could not persist the cursor');
      this.setError(err);
    }
  }

  private scheduleAck(): void {
    if (this.ackTimer) return;
    const wait = Math.max(0, this.lastAck + this.p.tuning.ackIntervalMs - Date.now());
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      this.sendAck();
    }, wait);
  }

  private sendAck(): void {
    const seq = this.p.replica.persistedCursor.seq;
    if (this.link?.send({ t: 'ack', seq })) this.lastAck = Date.now();
  }

  private sendReceipt(receipt: ReceiptBody): void {
    this.lastReceipts.set(receipt.session, {
      conversation: receipt.conversation,
      turn: receipt.turn,
      status: receipt.status,
      ...(receipt.reason === undefined ? {} : { reason: receipt.reason }),
      attempt: receipt.attempt,
      at: new Date().toISOString(),
    });
    this.statusWriter.update();
    if (this.link?.send({ t: 'receipt', receipt })) return;
    this.outbox.push(receipt);
    if (this.outbox.length > this.p.tuning.maxQueuedReceipts) this.outbox.shift();
  }

  private flushOutbox(): void {
    while (this.outbox.length > 0) {
      const receipt = this.outbox[0] as ReceiptBody;
      if (!this.link?.send({ t: 'receipt', receipt })) return;
      this.outbox.shift();
    }
  }

  private localSessions() {
    const host = this.p.config.host;
    return [...this.p.replica.state.sessions.values()].filter((s) => s.host === host);
  }

  private async reportPresence(force: boolean): Promise<void> {
    try {
      const changed = await this.presence.refresh(force);
      if (changed && Object.keys(changed).length > 0) this.link?.send({ t: 'presence', sessions: changed });
      if (changed) this.statusWriter.update();
    } catch (err) {
      this.p.log.debug({ err: String(err) }, 'presence probe failed');
    }
  }

  // --- connection state and stopping -----------------------------------------------------------

  private disconnected(info: { code: number | null; reason: string; error: CrosstalkError | null }): void {
    if (this.stopping) return;
    this.p.log.info({ code: info.code, reason: info.reason, error: info.error?.message }, 'link down');
    if (info.error) this.setError(info.error);
    this.state = 'connecting';
    this.clearReplayWait();
    this.goLive(false);
    this.statusWriter.update();
  }

  private async fatal(error: CrosstalkError): Promise<void> {
    this.p.log.error({ code: error.code }, error.message);
    this.setError(error);
    this.fatalError = error;
    await this.stop();
  }

  private setError(err: unknown): void {
    const e = err instanceof CrosstalkError ? err : null;
    this.lastError = {
      code: e?.code ?? 'INTERNAL',
      message: (e?.message ?? String(err)).slice(0, 2000),
      at: new Date().toISOString(),
    };
    this.statusWriter.update();
  }

  stop(): Promise<void> {
    this.stopPromise ??= this.stopNow().finally(() =>
      this.resolveStopped(this.fatalError ? { reason: 'fatal', error: this.fatalError } : { reason: 'stopped' }),
    );
    return this.stopPromise;
  }

  private async stopNow(): Promise<void> {
    const { log, replica } = this.p;
    this.stopping = true;
    this.goLive(false);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.clearReplayWait();
    await this.draining;
    await this.orchestrator.stop();
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    if (this.ackTimer) clearTimeout(this.ackTimer);
    try {
      await replica.persistCursor();
      this.sendAck();
    } catch (err) {
      log.error({ err: String(err) }, 'could not persist the cursor');
    }
    await this.link?.stop();
    this.state = 'stopped';
    this.statusWriter.cancel();
    await this.statusWriter.flush();
    log.info({ cursor: replica.seq }, 'agent stopped');
  }

  snapshot(): AgentStatusSnapshot {
    const { config, replica } = this.p;
    const cursor = replica.seq;
    const online = this.presence.current;
    return {
      version: 1,
      pid: process.pid,
      state: this.state,
      startedAt: this.startedAt,
      updatedAt: new Date().toISOString(),
      host: config.host,
      relayUrl: config.relayUrl,
      relayId: config.relayId,
      epoch: replica.currentEpoch,
      connected: this.link?.open === true,
      cursor,
      head: this.head,
      lag: this.head === null ? null : Math.max(0, this.head - cursor),
      lastError: this.lastError,
      sessions: this.localSessions().map((s) => ({
        name: s.name,
        kind: s.kind,
        wake: s.wake.type,
        online: online[s.name] === undefined ? null : online[s.name] === 'online',
        lastReceipt: this.lastReceipts.get(s.name) ?? null,
      })),
    };
  }
}
