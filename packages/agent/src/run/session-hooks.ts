// The agent's side of the coding agents' hooks: its local endpoint, where `crosstalk hook` reports;
// what each session is doing (carried to the relay as presence); the session a hook speaks for;
// and a handed-over wake-up counted as work until the session's hooks confirm or the time runs out.
import type { SessionState, WakeTarget } from '@crosstalk/core';
import type { Handover } from '../delivery/orchestrator.js';
import type { ActivityView } from '../delivery/policy.js';
import { listenEndpoint, type EndpointHandler, type RunningEndpoint } from '../endpoint/server.js';
import { SessionActivities, type SessionActivity } from '../hooks/activity.js';
import { SessionBinder } from '../hooks/binding.js';
import { HookHandler, type HookHandlerDeps } from '../hooks/handler.js';
import { readParentChain } from '../terminals/processes/read.js';
import type { AgentLogger } from './logger.js';

/** A wake-up handed over counts as work this long, unless the session's hooks speak first. */
const ASSUMED_WORK_MS = 15_000;

export interface SessionHooksDeps {
  sessions(): ReadonlyArray<{ name: string; wake: WakeTarget }>;
  orchestrator: HookHandlerDeps['orchestrator'];
  /** Some session's state changed: tell the relay. */
  onStates(): void;
  platform: NodeJS.Platform;
  log: AgentLogger;
}

export class SessionHooks {
  readonly activities = new SessionActivities(Date.now());
  private readonly binder: SessionBinder;
  private readonly handler: HookHandler;
  private endpoint: RunningEndpoint | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SessionHooksDeps) {
    this.binder = new SessionBinder({
      sessions: deps.sessions,
      ancestry: (pid) =>
        readParentChain(pid, { platform: deps.platform, timeoutMs: 2_000 }).then(
          (chain) => chain.map((p) => p.pid),
          // A process list that cannot be read proves nothing: the hook's pane does not count.
          () => [],
        ),
      now: Date.now,
    });
    this.handler = new HookHandler({
      binder: this.binder,
      activities: this.activities,
      orchestrator: deps.orchestrator,
      onActivity: () => deps.onStates(),
      now: Date.now,
      log: deps.log,
    });
  }

  /** Listens on the local endpoint; an agent without one still runs, its sessions without hooks. */
  async listen(path: string, secret?: string, more: Record<string, EndpointHandler> = {}): Promise<void> {
    try {
      this.endpoint = await listenEndpoint({
        path,
        platform: this.deps.platform,
        log: this.deps.log,
        secret,
        handle: async (request, closed, progress) => {
          if (request.t === 'hook') return this.handler.handle(request, closed);
          const other = typeof request.t === 'string' && Object.hasOwn(more, request.t) ? more[request.t] : undefined;
          if (other) return other(request, closed, progress);
          return { unknown: true };
        },
      });
      this.deps.log.info({ endpoint: path }, 'local endpoint listening');
    } catch (err) {
      this.deps.log.warn({ err: String(err), endpoint: path }, 'no local endpoint: sessions report no state through their hooks');
    }
  }

  async close(): Promise<void> {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.handler.close();
    await this.endpoint?.close();
  }

  /** What the delivery policy goes by. */
  view(session: string): ActivityView {
    const a = this.activities.get(session);
    if (a.lastSignal === null) return { state: a.state, heardAt: null };
    return { state: a.state, heardAt: Math.max(a.since, a.lastSignal.at) };
  }

  get(session: string): SessionActivity {
    return this.activities.get(session);
  }

  offer(session: string, line: string): boolean {
    return this.handler.offer(session, line);
  }

  /** A wake-up reached the session: remember a typed line, and count it as work for a while. */
  handedOver(session: string, line: string, how: Handover): void {
    if (how === 'typed') this.binder.noteTyped(session, line);
    if (!this.activities.hooked(session)) return;
    const now = Date.now();
    if (this.activities.assumeWorking(session, now, now + ASSUMED_WORK_MS)) this.deps.onStates();
    this.armExpiry();
  }

  /** The session's process is gone without a hook saying so (a spawned session that exited or was killed). */
  ended(session: string): void {
    const change = this.activities.signal(session, 'SessionEnd', 'ended', Date.now());
    if (!change) return;
    this.deps.orchestrator.stateChanged(session);
    this.deps.onStates();
  }

  /** States of the local sessions, for the relay. */
  states(): Record<string, { state: SessionState; since: string }> {
    const out: Record<string, { state: SessionState; since: string }> = {};
    for (const s of this.deps.sessions()) {
      const a = this.activities.get(s.name);
      out[s.name] = { state: a.state, since: new Date(a.since).toISOString() };
    }
    return out;
  }

  private armExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const next = this.activities.nextExpiry();
    if (next === null) return;
    this.expiryTimer = setTimeout(
      () => {
        this.expiryTimer = null;
        const changes = this.activities.expire(Date.now());
        for (const change of changes) this.deps.orchestrator.stateChanged(change.session);
        if (changes.length > 0) this.deps.onStates();
        this.armExpiry();
      },
      Math.max(0, next - Date.now()),
    );
    this.expiryTimer.unref?.();
  }
}
