// The host agent: one link to the relay, a replica whose copies follow the log, wake-ups for the
// local sessions, receipts and presence back to the relay, and a status file for humans.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrosstalkError, type LogLevel, type ServerMessage } from '@crosstalk/core';
import { endpointPath, endpointSecretPath } from '@crosstalk/core/endpoint';
import type { TokenSigner } from '@crosstalk/core/token';
import { hostKeySigner, readAgentConfig, type AgentConfig, type HomeLayout, type KeyProtection } from '../home/index.js';
import { migrateStateDir } from '../home/state-format.js';
import { RelayLink } from '../link/link.js';
import { Replica, type ReplicaHooks } from '../state/replica.js';
import { toldByWait } from '../sessions/waiting.js';
import { StateStore } from '../state/store.js';
import { createWaker, DEFAULT_WAKE_TIMEOUTS, type WakeAdapter, type WakeOutcome } from '../terminals/index.js';
import { WakeJournal } from '../delivery/journal.js';
import { WakeOrchestrator } from '../delivery/orchestrator.js';
import type { WakeSpec } from '../delivery/plan.js';
import { PresenceTracker } from '../delivery/presence.js';
import { createLogger, type AgentLogger, type LogDestination } from './logger.js';
import { ensureEndpointSecret } from '../endpoint/secret.js';
import { PostForwarder } from '../outbox/forwarder.js';
import { OutboxLog } from '../outbox/log.js';
import { answerPost } from '../outbox/requests.js';
import { ReceiptOutbox } from './outbox.js';
import { StatusWriter, type AgentStatusSnapshot } from './status.js';
import { SessionHooks } from './session-hooks.js';
import { Sync } from './sync.js';
import { DEFAULT_TUNING, type AgentTuning } from './tuning.js';
import { openSpawning, type Spawning } from '../spawn/wire.js';

export interface AgentHooks extends ReplicaHooks {
  /** Every wake-up attempt, after the adapter answered. */
  onWakeAttempt?(info: { spec: WakeSpec; attempt: number; line: string | null; outcome: WakeOutcome }): void;
}

export interface RunAgentOptions {
  layout: HomeLayout;
  /** Read from `layout.config` when absent. */
  config?: AgentConfig | undefined;
  /** Overrides the config's log level. */
  logLevel?: LogLevel | undefined;
  /** Where logs go: a pino destination stream, a file path or a file descriptor (default stderr). */
  logDestination?: LogDestination | undefined;
  /** Observers (tests inject crashes here); they do nothing by default. */
  hooks?: AgentHooks | undefined;
  /** The wake adapter; default the platform's (tmux, Windows console). */
  waker?: WakeAdapter | undefined;
  tuning?: Partial<AgentTuning> | undefined;
  /** Where the local endpoint listens (hooks report there); default in the home. */
  endpoint?: string | undefined;
  /** Windows: how the endpoint secret is made readable by the user alone (icacls). */
  protectFiles?: KeyProtection | undefined;
}

export type StopReason = { reason: 'stopped' } | { reason: 'fatal'; error: CrosstalkError };

export interface RunningAgent {
  /** Flushes the cursor and state, closes the link with 1000. */
  stop(): Promise<void>;
  status(): AgentStatusSnapshot;
  /** Settles when the agent stopped: by stop(), or by itself (revoked, replaced by another agent). */
  readonly stopped: Promise<StopReason>;
}

/** Loads config, key and state, checks the copies, connects, and runs until stopped. */
export async function runAgent(options: RunAgentOptions): Promise<RunningAgent> {
  const { layout } = options;
  const config = options.config ?? (await readAgentConfig(layout.config));
  const log = createLogger(options.logLevel ?? config.logLevel, options.logDestination, { host: config.host });
  // Follows host-key.json, so a key rotation takes effect at the next connection.
  const signer = await hostKeySigner(layout.hostKey, config.host, config.relayId);
  const tuning: AgentTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const hooks = options.hooks ?? {};
  // Before anything reads it: an older state format is migrated (with a backup), a newer one refused.
  const migration = await migrateStateDir(layout.stateDir);
  if (migration) log.warn({ ...migration }, 'agent state migrated to a newer format; the files it rewrote were copied to the backup first');
  const replica = await Replica.open({
    store: new StateStore(layout.stateDir),
    copiesDir: config.conversationsDir,
    relayId: config.relayId,
    hooks,
    log,
    diskBudgetBytes: config.diskBudgetMiB * 1024 * 1024,
  });
  log.info({ relayUrl: config.relayUrl, cursor: replica.seq, epoch: replica.currentEpoch, copies: config.conversationsDir }, 'agent starting');
  const journal = await WakeJournal.open(join(layout.stateDir, 'wakes.json'), Date.now(), config.wake.nudgeAfterSeconds * 1000);
  const waker = options.waker ?? defaultWaker(config, log);
  const spawning = await openSpawning({ layout, config, signer, log });
  // Posts and receipts not yet answered by the relay, kept across a kill of either.
  const outbox = await OutboxLog.open(layout.stateDir);
  if (outbox.pending.length > 0) log.info({ pending: outbox.pending.length }, 'outbox holds posts the relay has not answered; they go when linked');
  const agent = new Agent({ config, layout, log, replica, journal, tuning, hooks, waker, spawning, outbox });
  // Without a secret the endpoint still serves hooks; clients then post over HTTP themselves.
  const secret = await ensureEndpointSecret(endpointSecretPath(layout.home), options.protectFiles).catch((err: unknown) => {
    log.warn({ err: String(err) }, 'no endpoint secret: commands post over HTTP, not through this agent');
    return undefined;
  });
  await agent.listen(options.endpoint ?? endpointPath(layout.home, process.platform, tmpdir(), process.getuid?.() ?? 0), secret);
  agent.start(signer);
  return agent.handle();
}

function defaultWaker(config: AgentConfig, log: AgentLogger): WakeAdapter {
  const { quietMs, enterDelayMs, enterDelayMsByKind } = config.wake;
  const byKind = enterDelayMsByKind ? { settleMsByKind: { ...DEFAULT_WAKE_TIMEOUTS.settleMsByKind, ...enterDelayMsByKind } } : {};
  return createWaker({ platform: process.platform, logger: log, timeouts: { userIdleMs: quietMs, settleMs: enterDelayMs, ...byKind } });
}

interface AgentParts {
  config: AgentConfig;
  layout: HomeLayout;
  log: AgentLogger;
  replica: Replica;
  journal: WakeJournal;
  tuning: AgentTuning;
  hooks: AgentHooks;
  waker: WakeAdapter;
  spawning: Spawning;
  outbox: Awaited<ReturnType<typeof OutboxLog.open>>;
}

class Agent {
  private link: RelayLink | null = null;
  private readonly startedAt = new Date().toISOString();
  private state: AgentStatusSnapshot['state'] = 'starting';
  private lastError: AgentStatusSnapshot['lastError'] = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private readonly orchestrator: WakeOrchestrator;
  private readonly sync: Sync;
  private readonly outbox: ReceiptOutbox;
  private readonly forwarder: PostForwarder;
  private readonly presence: PresenceTracker;
  private readonly statusWriter: StatusWriter;
  private readonly sessionHooks: SessionHooks;
  /** When each local session joined, to notice one that joins again. */
  private readonly joinedAt = new Map<string, string>();
  private statesTimer: NodeJS.Timeout | null = null;
  private resolveStopped: (r: StopReason) => void = () => {};
  private readonly stopped = new Promise<StopReason>((r) => (this.resolveStopped = r));
  private stopping: Promise<void> | null = null;
  private fatalError: CrosstalkError | null = null;

  constructor(private readonly parts: AgentParts) {
    const { config, replica, log, tuning } = parts;
    this.sessionHooks = new SessionHooks({
      sessions: () => this.localSessions(),
      orchestrator: {
        takeForStop: (session, continued) => this.orchestrator.takeForStop(session, continued),
        stateChanged: (session) => this.orchestrator.stateChanged(session),
        retryFailed: (session) => this.orchestrator.retryFailed(session),
      },
      onStates: () => this.statesChanged(),
      platform: process.platform,
      log,
    });
    for (const s of this.localSessions()) this.joinedAt.set(s.name, s.joinedAt);
    this.forwarder = new PostForwarder({ send: (frame) => this.link?.sendText(frame) === true, log, store: parts.outbox.log }, parts.outbox.pending);
    // Receipts ride the forwarder too: kept on disk until the relay answers, sent again after a drop.
    this.outbox = new ReceiptOutbox((receipt) => {
      const { result } = this.forwarder.submit('receipt', undefined, receipt, true);
      void result.then((r) => {
        if (!r.ok) log.warn({ code: r.code, message: r.message, conversation: receipt.conversation }, 'the relay refused a receipt');
      });
      return true;
    }, tuning.maxQueuedReceipts);
    this.orchestrator = new WakeOrchestrator({
      adapter: parts.waker,
      journal: parts.journal,
      view: {
        conversation: (id) => replica.conversation(id),
        conversationIds: () => replica.state.conversations.keys(),
        isLocal: (s) => replica.state.sessions.get(s)?.host === config.host,
        target: (s) => replica.state.sessions.get(s)?.wake,
        kind: (s) => replica.state.sessions.get(s)?.kind,
        copyPath: (id) => replica.copyPath(id),
        activity: (s) => this.sessionHooks.view(s),
      },
      nudgeAfterMs: config.wake.nudgeAfterSeconds * 1000,
      idleGraceMs: config.wake.idleGraceSeconds * 1000,
      recheckMs: tuning.busyRecheckMs,
      dialogRecheckMs: tuning.dialogRecheckMs,
      offerToHook: (session, line) => this.sessionHooks.offer(session, line),
      onHandedOver: (session, line, how) => this.sessionHooks.handedOver(session, line, how),
      maxNudges: config.wake.maxNudges,
      retry: tuning.wakeRetry,
      sendReceipt: (r) => {
        this.outbox.push(r);
        this.statusWriter.update();
      },
      toldByWait: (session, conversation, turn) => toldByWait(parts.layout.waitingDir, session, conversation, turn),
      log,
      onAttempt: (info) => parts.hooks.onWakeAttempt?.(info),
    });
    this.sync = new Sync({
      replica,
      orchestrator: this.orchestrator,
      link: () => this.link,
      log,
      tuning,
      onLinked: () => {
        this.state = 'connected';
        this.lastError = null;
        // Written at once, not throttled: `doctor` and `agent status` read the link's state here.
        void this.statusWriter.flush();
        this.outbox.flush();
        this.forwarder.linkUp();
        void this.reportPresence(true);
      },
      onSessionsChanged: () => {
        this.noticeRejoins();
        this.statesChanged();
        void this.reportPresence(false);
      },
      onChange: () => this.statusWriter.update(),
      onError: (err) => this.setError(err),
      onApplied: (events) => parts.spawning.applied(events),
    });
    parts.spawning.attach({
      joinedHere: (name, target) => {
        const s = replica.state.sessions.get(name);
        if (s?.host !== config.host) return false;
        if (target.type === 'tmux') return s.wake.type === 'tmux' && s.wake.pane === target.pane;
        return target.type === 'console' && s.wake.type === 'console' && s.wake.pid === target.pid;
      },
      wakeOf: (name) => replica.state.sessions.get(name)?.wake.type ?? null,
      lastSignal: (name) => this.sessionHooks.get(name).lastSignal,
      ended: (name) => this.sessionHooks.ended(name),
    });
    this.presence = new PresenceTracker(parts.waker, () => this.localSessions(), log);
    this.statusWriter = new StatusWriter(
      parts.layout.agentStatus,
      () => this.snapshot(),
      tuning.statusIntervalMs,
      (err) => log.warn({ err: String(err) }, 'could not write the status file'),
    );
  }

  handle(): RunningAgent {
    return { stop: () => this.stop(), status: () => this.snapshot(), stopped: this.stopped };
  }

  listen(path: string, secret: string | undefined): Promise<void> {
    const { replica } = this.parts;
    const deps = {
      forwarder: this.forwarder,
      nextTurn: (id: string) => {
        const c = replica.conversation(id);
        return c ? c.turns.length + 1 : null;
      },
    };
    return this.sessionHooks.listen(path, secret, { post: (request, closed, progress) => answerPost(deps, request, closed, progress) });
  }

  start(signer: TokenSigner): void {
    const { config, log, tuning, replica } = this.parts;
    this.state = 'connecting';
    this.link = new RelayLink({
      relayUrl: config.relayUrl,
      signer,
      role: 'agent',
      hello: () => ({ epoch: replica.currentEpoch, cursor: replica.seq }),
      log,
      heartbeatMs: tuning.heartbeatMs,
      backoff: tuning.backoff,
      handlers: {
        onMessage: (m) => {
          if (m.t === 'posted' || m.t === 'refused') this.forwarder.answer(m);
          else if (m.t === 'peek') void this.answerPeek(m);
          else this.sync.receive(m);
        },
        onDisconnect: (info) => this.disconnected(info),
        onFatal: (error) => void this.fatal(error),
      },
    });
    this.link.start();
    void this.parts.spawning.start();
    this.presenceTimer = setInterval(() => void this.reportPresence(false), tuning.presenceIntervalMs);
    void this.statusWriter.flush();
  }

  /** A remote peek: the spawn side reads the terminal (or refuses by the policy); the answer goes back on the link. */
  private async answerPeek(frame: Extract<ServerMessage, { t: 'peek' }>): Promise<void> {
    const answer = await this.parts.spawning.peek(frame);
    this.link?.send(answer);
  }

  private localSessions() {
    const host = this.parts.config.host;
    return [...this.parts.replica.state.sessions.values()].filter((s) => s.host === host);
  }

  private async reportPresence(force: boolean): Promise<void> {
    try {
      const changed = await this.presence.refresh(force);
      // Sent on every change and after every reconnect, also with no terminal to report: the states go with it.
      if (changed) this.link?.send({ t: 'presence', sessions: changed, states: this.sessionHooks.states() });
      if (changed) this.statusWriter.update();
    } catch (err) {
      // Presence is advice to the others; failing to report it must never stop the agent.
      this.parts.log.warn({ err: String(err) }, 'could not report presence');
    }
  }

  /** A session's state changed: the relay hears of it soon, several changes at once. */
  private statesChanged(): void {
    this.statusWriter.update();
    this.statesTimer ??= setTimeout(() => {
      this.statesTimer = null;
      this.link?.send({ t: 'presence', sessions: {}, states: this.sessionHooks.states() });
    }, 50);
  }

  /** A session that joined again gets its failed wake-ups tried again; one that left is forgotten. */
  private noticeRejoins(): void {
    const now = new Map(this.localSessions().map((s) => [s.name, s.joinedAt]));
    for (const [name, joinedAt] of now) {
      const before = this.joinedAt.get(name);
      if (before !== undefined && before !== joinedAt) this.orchestrator.retryFailed(name);
    }
    for (const name of this.joinedAt.keys()) if (!now.has(name)) this.sessionHooks.activities.forget(name);
    this.joinedAt.clear();
    for (const [name, joinedAt] of now) this.joinedAt.set(name, joinedAt);
  }

  private disconnected(info: { code: number | null; reason: string; error: CrosstalkError | null }): void {
    if (this.stopping) return;
    this.parts.log.info({ code: info.code, reason: info.reason, error: info.error?.message }, 'link down');
    if (info.error) this.setError(info.error);
    this.state = 'connecting';
    this.sync.linkDown();
    this.forwarder.linkDown();
    void this.statusWriter.flush();
  }

  private async fatal(error: CrosstalkError): Promise<void> {
    this.parts.log.error({ code: error.code }, error.message);
    this.setError(error);
    this.fatalError = error;
    await this.stop();
  }

  private setError(err: unknown): void {
    const e = err instanceof CrosstalkError ? err : null;
    this.lastError = { code: e?.code ?? 'INTERNAL', message: (e?.message ?? String(err)).slice(0, 2000), at: new Date().toISOString() };
    this.statusWriter.update();
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopNow().finally(() => this.resolveStopped(this.fatalError ? { reason: 'fatal', error: this.fatalError } : { reason: 'stopped' }));
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    const { log, replica } = this.parts;
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    if (this.statesTimer) clearTimeout(this.statesTimer);
    await this.parts.spawning.stop();
    await this.sessionHooks.close();
    try {
      await this.sync.stop();
    } catch (err) {
      log.error({ err: String(err) }, 'could not persist the cursor');
    }
    await this.orchestrator.stop();
    await this.link?.stop();
    await this.parts.outbox.log.close();
    this.state = 'stopped';
    this.statusWriter.cancel();
    await this.statusWriter.flush();
    log.info({ cursor: replica.seq }, 'agent stopped');
  }

  private activityOf(session: string): Pick<AgentStatusSnapshot['sessions'][number], 'state' | 'stateSince' | 'lastSignal' | 'pending' | 'failed'> {
    const a = this.sessionHooks.get(session);
    return {
      state: a.state,
      stateSince: new Date(a.since).toISOString(),
      lastSignal: a.lastSignal ? { event: a.lastSignal.event, at: new Date(a.lastSignal.at).toISOString() } : null,
      pending: this.orchestrator.pending(session),
      failed: this.orchestrator.failedOwed(session),
    };
  }

  private snapshot(): AgentStatusSnapshot {
    const { config, replica } = this.parts;
    const cursor = replica.seq;
    const head = this.sync.head;
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
      head,
      lag: head === null ? null : Math.max(0, head - cursor),
      lastError: this.lastError,
      disk: {
        usedBytes: replica.usedBytes,
        budgetBytes: replica.budgetBytes,
        paused: replica.pausedAt ? { seq: replica.pausedAt.seq, conversation: replica.pausedAt.conversation } : null,
      },
      sessions: this.localSessions().map((s) => ({
        name: s.name,
        kind: s.kind,
        wake: s.wake.type,
        online: online[s.name] === undefined ? null : online[s.name] === 'online',
        lastReceipt: this.outbox.last.get(s.name) ?? null,
        ...this.activityOf(s.name),
      })),
    };
  }
}
