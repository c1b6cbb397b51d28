// Spawn and kill requests addressed to this host, as they arrive in the relay's log: the policy
// (core's pure decideSpawn / decideKill, over paths resolved here) decides; the coding agent is
// started in its terminal (the agent's private tmux server, or a new console window on Windows),
// joined, and once its own SessionStart hook reports, given its first task; the outcome goes back to the relay, which records it. A spawned session
// whose process exits is `gone` and nothing restarts it; the agent's own restart leaves spawned
// sessions running and finds them again on its server.
import { CrosstalkError, decideKill, decideSpawn, type KillRequestedEvent, type RelayEvent, type SpawnRequestedEvent, type WakeTarget } from '@crosstalk/core';
import type { SpawnClient } from '@crosstalk/client';
import type { SpawnConfig } from '../home/spawn-config.js';
import { DEFAULT_COMMANDS } from '../home/spawn-config.js';
import { screenReaderFor } from '../terminals/screens/index.js';
import type { AgentLogger } from '../run/logger.js';
import type { SpawnRegistry, SpawnRecord } from './registry.js';
import { resolvePaths } from './resolve.js';
import type { SpawnTerminal } from './terminal.js';

/**
 * Kinds whose coding agent runs its SessionStart hook only with its first prompt (Codex): their
 * start is seen on the screen alone, the product's screen reader finding the empty prompt.
 */
const START_WITH_FIRST_PROMPT: ReadonlySet<string> = new Set(['codex']);

/** A request older than this when it arrives (the agent was down) is not acted on. */
const STALE_MS = 120_000;

export interface SpawnerDeps {
  host: string;
  home: string;
  policy: SpawnConfig;
  platform: NodeJS.Platform;
  registry: SpawnRegistry;
  terminal: SpawnTerminal;
  client: SpawnClient;
  /** Registers the session with the relay and locally, as `crosstalk join` does. */
  join(name: string, kind: SpawnRecord['kind'], wake: WakeTarget): Promise<void>;
  /** Whether the replica holds the session as registered with this terminal (the join came back). */
  joinedHere(name: string, target: WakeTarget): boolean;
  /** The wake target type of the session of that name registered with the relay, or null for none. */
  wakeOf(name: string): WakeTarget['type'] | null;
  /** The last hook event of a session and when it came (ms). */
  lastSignal(name: string): { event: string; at: number } | null;
  /** The session's process is gone: its state becomes `gone`. */
  ended(name: string): void;
  log: AgentLogger;
  now?: () => number;
}

const waitUntil = async (
  check: () => boolean | Promise<boolean>,
  deadline: number,
  now: () => number,
  stepMs = 50,
  cancelled = () => false,
): Promise<boolean> => {
  while (now() < deadline && !cancelled()) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
};

export class Spawner {
  /** Decisions are taken one at a time, so the running count each sees is exact. */
  private decisions: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  private watchTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: SpawnerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Finds the sessions spawned before a restart again; forgets those whose process is gone. */
  async start(watchMs: number): Promise<void> {
    await this.reconcile();
    this.watchTimer = setInterval(() => void this.reconcile(), watchMs);
    this.watchTimer.unref?.();
  }

  /** Running spawned sessions (for the status file). */
  running(): readonly SpawnRecord[] {
    return this.deps.registry.all();
  }

  /** Stops watching; spawned sessions keep running (they outlive the agent by design). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Events just applied: the requests for this host are acted on, in the background. */
  take(events: readonly RelayEvent[]): void {
    for (const e of events) {
      if (this.stopped) return;
      if (e.type === 'spawn.requested' && e.host === this.deps.host) this.track(this.spawn(e));
      else if (e.type === 'kill.requested' && e.host === this.deps.host) this.track(this.kill(e));
    }
  }

  private track(p: Promise<unknown>): void {
    const done = p.catch((err: unknown) => this.deps.log.error({ err: String(err) }, 'spawn request failed'));
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.decisions.then(step, step);
    this.decisions = next.catch(() => undefined);
    return next;
  }

  /** First sight of a request: false when it was acted on before, or is too old to act on now. */
  private async fresh(e: { id: string; at: string }, report: (reason: string, detail: string) => Promise<void>): Promise<boolean> {
    const { registry } = this.deps;
    if (registry.wasHandled(e.id)) return false;
    await registry.handle(e.id);
    if (this.now() - Date.parse(e.at) > STALE_MS) {
      await report('expired', 'the request reached this host too late (its agent was not running)');
      return false;
    }
    return true;
  }

  private async spawn(e: SpawnRequestedEvent): Promise<void> {
    const { deps } = this;
    const report = (outcome: 'started' | 'refused' | 'failed', reason: string, detail: string, cwd: string | null = null) =>
      this.report(() => deps.client.reportSpawn({ id: e.id, request: e.seq, session: e.session, outcome, reason, detail: detail.slice(0, 1000), cwd }));
    const started = await this.serial(async () => {
      if (!(await this.fresh(e, (reason, detail) => report('failed', reason, detail)))) return null;
      const resolved = await resolvePaths(e.cwd, deps.policy.roots);
      const style = deps.platform === 'win32' ? 'win32' : 'posix';
      const decision = decideSpawn(deps.policy, { by: e.by, kind: e.kind, cwd: e.cwd }, resolved, deps.registry.all().length, style);
      deps.log.info({ request: e.id, by: e.by, kind: e.kind, session: e.session, decision }, 'spawn request');
      if (!decision.ok) {
        await report('refused', decision.rule, decision.message);
        return null;
      }
      // A name is free, or held by a spawned session of this host that ended (no terminal left).
      const wake = deps.wakeOf(e.session);
      if (deps.registry.get(e.session) || (wake !== null && !(wake === 'none' && deps.registry.hasEnded(e.session)))) {
        await report('failed', 'name-taken', `a session named ${e.session} is registered here already`);
        return null;
      }
      const command = deps.policy.commands[e.kind as keyof SpawnConfig['commands']] ?? DEFAULT_COMMANDS[e.kind];
      if (!command) {
        await report('failed', 'no-command', `no command is configured for ${e.kind} (spawn.commands in config.json)`);
        return null;
      }
      const argv = [...command, ...(e.model ? ['--model', e.model] : [])];
      const at = this.now();
      try {
        const pane = await deps.terminal.start(e.session, decision.cwd, argv, { CROSSTALK_HOME: deps.home, CROSSTALK_SESSION: e.session });
        const record: SpawnRecord = {
          name: e.session,
          kind: e.kind,
          request: e.id,
          by: e.by,
          cwd: decision.cwd,
          pane: pane.pane,
          panePid: pane.panePid,
          startedAt: new Date(at).toISOString(),
        };
        await deps.registry.add(record);
        return { record, at, argv };
      } catch (err) {
        await report('failed', deps.platform === 'win32' ? 'console-error' : 'tmux-error', String(err));
        return null;
      }
    });
    if (!started) return;
    const { record, at, argv } = started;
    const fail = async (reason: string, detail: string) => {
      await this.terminate(record);
      await report('failed', reason, detail);
    };
    try {
      const target = deps.terminal.target(record, argv);
      await deps.join(record.name, record.kind, target);
      if (!(await waitUntil(() => deps.joinedHere(record.name, target), this.now() + 30_000, this.now))) {
        return await fail('not-joined', 'the relay did not confirm the join within 30 s');
      }
      await deps.terminal.release(record);
      const readyBy = this.now() + deps.policy.readyTimeoutSeconds * 1000;
      let exited = false;
      const reader = screenReaderFor(record.kind);
      const ready = await waitUntil(
        async () => {
          exited = !(await deps.terminal.alive(record));
          if (exited) return true;
          const s = deps.lastSignal(record.name);
          const started = START_WITH_FIRST_PROMPT.has(record.kind) || (s !== null && s.event === 'SessionStart' && s.at >= at);
          // The start hook can come before the input is drawn: the screen must show the empty prompt too.
          return started && (!reader || reader.before(await deps.terminal.view(record)).state === 'ready');
        },
        readyBy,
        this.now,
        100,
        () => this.stopped,
      );
      // The agent is stopping: the session keeps running and is found again at the next start.
      if (this.stopped && !ready) return await report('failed', 'agent-stopped', 'the host agent stopped before the coding agent was ready');
      if (!ready || exited) {
        return await fail(
          exited ? 'exited' : 'not-ready',
          exited
            ? 'the coding agent exited before it was ready'
            : `not ready within ${deps.policy.readyTimeoutSeconds} s (no SessionStart hook${reader ? ', or no empty prompt on its screen' : ''}): are the crosstalk hooks installed for it (\`crosstalk skill install\`)? \`crosstalk peek ${record.name}\` showed what it was doing`,
        );
      }
      if (e.prompt) await deps.terminal.submit(record, e.prompt, record.kind);
      await report('started', '', `ready in ${this.now() - at} ms${e.prompt ? '; first task typed' : ''}`, record.cwd);
    } catch (err) {
      await fail('spawn-error', String(err));
    }
  }

  private async kill(e: KillRequestedEvent): Promise<void> {
    const { deps } = this;
    const report = (outcome: 'killed' | 'refused' | 'failed', reason: string, detail: string) =>
      this.report(() => deps.client.reportKill({ id: e.id, request: e.seq, session: e.session, outcome, reason, detail: detail.slice(0, 1000) }));
    const record = await this.serial(async () => {
      if (!(await this.fresh(e, (reason, detail) => report('failed', reason, detail)))) return null;
      const r = deps.registry.get(e.session);
      const decision = decideKill(deps.policy, e.by, deps.host, r !== undefined);
      deps.log.info({ request: e.id, by: e.by, session: e.session, decision }, 'kill request');
      if (!decision.ok) {
        await report('refused', decision.rule, decision.message);
        return null;
      }
      return r ?? null;
    });
    if (!record) return;
    try {
      await this.terminate(record);
      await report('killed', '', 'stopped');
    } catch (err) {
      await report('failed', 'kill-error', String(err));
    }
  }

  /** Graceful first, then forced (the terminal knows how); the session is left `gone`. */
  private async terminate(record: SpawnRecord): Promise<void> {
    await this.deps.terminal.stop(record);
    await this.deps.terminal.idle();
    await this.forget(record);
  }

  /**
   * The session stays registered, `gone`, with no terminal: its pane id may be given to the next
   * spawned session once the server restarts, and no hook or wake-up of that one may reach it.
   */
  private async forget(record: SpawnRecord): Promise<void> {
    await this.deps.registry.remove(record.name, { ended: true });
    this.deps.ended(record.name);
    await this.deps.join(record.name, record.kind, { type: 'none' }).catch((err: unknown) => {
      this.deps.log.warn({ err: String(err), session: record.name }, 'could not unhook the spawned session from its pane at the relay');
    });
  }

  /** Spawned sessions whose terminal or process is gone are forgotten and `gone`; nothing is restarted. */
  async reconcile(): Promise<void> {
    const { registry, terminal, log } = this.deps;
    if (registry.all().length === 0) return;
    for (const r of registry.all()) {
      let alive: boolean;
      try {
        alive = await terminal.alive(r);
      } catch (err) {
        log.warn({ err: String(err) }, 'could not look at the spawned sessions');
        return;
      }
      if (alive) continue;
      log.info({ session: r.name }, 'spawned session exited');
      await this.forget(r);
    }
    if (registry.all().length === 0) await terminal.idle().catch(() => undefined);
  }

  /** Outcomes must reach the relay: retried while it is unreachable, for about a minute; a refusal is final. */
  private async report(send: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0, delay = 500; ; attempt++, delay = Math.min(delay * 2, 10_000)) {
      try {
        await send();
        return;
      } catch (err) {
        const refused = err instanceof CrosstalkError && err.status >= 400 && err.status < 500 && err.status !== 429;
        if (refused || attempt >= 8 || this.stopped) {
          this.deps.log.error({ err: String(err) }, 'could not report a spawn outcome to the relay');
          return;
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
