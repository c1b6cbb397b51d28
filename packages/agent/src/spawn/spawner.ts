// Spawn and kill requests addressed to this host, as they arrive in the relay's log: the policy
// (core's pure decideSpawn / decideKill, over paths resolved here) decides; the coding agent is
// started on the agent's private tmux server, joined, and once its own SessionStart hook reports,
// given its first task; the outcome goes back to the relay, which records it. A spawned session
// whose process exits is `gone` and nothing restarts it; the agent's own restart leaves spawned
// sessions running and finds them again on its server.
import { CrosstalkError, decideKill, decideSpawn, type KillRequestedEvent, type RelayEvent, type SpawnRequestedEvent, type WakeTarget } from '@crosstalk/core';
import type { SpawnClient } from '@crosstalk/client';
import type { SpawnConfig } from '../home/spawn-config.js';
import { DEFAULT_COMMANDS } from '../home/spawn-config.js';
import { processAlive } from '../os/process-alive.js';
import { readProcessTree } from '../terminals/processes/read.js';
import { screenReaderFor } from '../terminals/screens/index.js';
import type { AgentLogger } from '../run/logger.js';
import type { SpawnRegistry, SpawnRecord } from './registry.js';
import { resolvePaths } from './resolve.js';
import type { SpawnTmux } from './tmux.js';

/**
 * Kinds whose coding agent runs its SessionStart hook only with its first prompt (Codex): their
 * start is seen on the screen alone, the product's screen reader finding the empty prompt.
 */
const START_WITH_FIRST_PROMPT: ReadonlySet<string> = new Set(['codex']);

/** A request older than this when it arrives (the agent was down) is not acted on. */
const STALE_MS = 120_000;
/** How long a coding agent gets to exit after SIGTERM, then after its tmux session is closed. */
const GRACE_MS = 5_000;
const HANGUP_MS = 2_000;

export interface SpawnerDeps {
  host: string;
  home: string;
  policy: SpawnConfig;
  platform: NodeJS.Platform;
  /** Pause between a pasted prompt and its Enter (the wake settings' enterDelayMs). */
  enterDelayMs: number;
  registry: SpawnRegistry;
  tmux: SpawnTmux;
  client: SpawnClient;
  /** Registers the session with the relay and locally, as `crosstalk join` does. */
  join(name: string, kind: SpawnRecord['kind'], wake: WakeTarget): Promise<void>;
  /** Whether the replica holds the session as registered from this pane (the join came back). */
  joinedHere(name: string, pane: string): boolean;
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
      if (deps.platform === 'win32') {
        await report('failed', 'unsupported', 'spawning on Windows is not supported yet');
        return null;
      }
      const resolved = await resolvePaths(e.cwd, deps.policy.roots);
      const decision = decideSpawn(deps.policy, { by: e.by, kind: e.kind, cwd: e.cwd }, resolved, deps.registry.all().length, 'posix');
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
        const pane = await deps.tmux.start(e.session, decision.cwd, argv, { CROSSTALK_HOME: deps.home, CROSSTALK_SESSION: e.session });
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
        return { record, at };
      } catch (err) {
        await report('failed', 'tmux-error', String(err));
        return null;
      }
    });
    if (!started) return;
    const { record, at } = started;
    const fail = async (reason: string, detail: string) => {
      await this.terminate(record);
      await report('failed', reason, detail);
    };
    try {
      await deps.join(record.name, record.kind, { type: 'tmux', pane: record.pane, socket: deps.tmux.socket, panePid: record.panePid });
      if (!(await waitUntil(() => deps.joinedHere(record.name, record.pane), this.now() + 30_000, this.now))) {
        return await fail('not-joined', 'the relay did not confirm the join within 30 s');
      }
      await deps.tmux.release(record.name);
      const readyBy = this.now() + deps.policy.readyTimeoutSeconds * 1000;
      let exited = false;
      const reader = screenReaderFor(record.kind);
      const ready = await waitUntil(
        async () => {
          exited = !(await this.alive(record));
          if (exited) return true;
          const s = deps.lastSignal(record.name);
          const started = START_WITH_FIRST_PROMPT.has(record.kind) || (s !== null && s.event === 'SessionStart' && s.at >= at);
          // The start hook can come before the input is drawn: the screen must show the empty prompt too.
          return started && (!reader || reader.before(await deps.tmux.view(record.pane)).state === 'ready');
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
      if (e.prompt) await this.typePrompt(record, e.prompt);
      await report('started', '', `ready in ${this.now() - at} ms${e.prompt ? '; first task typed' : ''}`, record.cwd);
    } catch (err) {
      await fail('spawn-error', String(err));
    }
  }

  /**
   * The first task, pasted into the empty prompt, then Enter as its own key; pressed again (at most
   * twice) while the screen shows it still sitting in the input, as a wake-up's Enter is.
   */
  private async typePrompt(record: SpawnRecord, prompt: string): Promise<void> {
    const { tmux, enterDelayMs } = this.deps;
    await tmux.paste(record.pane, prompt);
    await new Promise((r) => setTimeout(r, enterDelayMs));
    await tmux.enter(record.pane);
    const reader = screenReaderFor(record.kind);
    if (!reader) return;
    for (let press = 0; press < 2; press++) {
      const submitted = await waitUntil(async () => reader.before(await tmux.view(record.pane)).state !== 'draft', this.now() + 1_500, this.now, 100);
      if (submitted) return;
      await tmux.enter(record.pane);
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

  private async alive(record: SpawnRecord): Promise<boolean> {
    const panes = await this.deps.tmux.list();
    return panes.some((p) => p.name === record.name && p.pane === record.pane && !p.dead);
  }

  /** Graceful first (SIGTERM to the pane's processes), then the tmux session closed, then SIGKILL. */
  private async terminate(record: SpawnRecord): Promise<void> {
    const { tmux, platform } = this.deps;
    const tree = await readProcessTree(record.panePid, { platform, timeoutMs: 5_000 }).catch(() => []);
    const pids = tree.map((p) => p.pid);
    const signal = (sig: NodeJS.Signals) => {
      for (const pid of pids) {
        try {
          process.kill(pid, sig);
        } catch {
          // Already gone.
        }
      }
    };
    const gone = () => pids.every((pid) => !processAlive(pid));
    signal('SIGTERM');
    if (!(await waitUntil(async () => gone() && !(await this.alive(record)), this.now() + GRACE_MS, this.now, 100))) {
      await tmux.killSession(record.name);
      if (!(await waitUntil(gone, this.now() + HANGUP_MS, this.now, 100))) signal('SIGKILL');
    }
    await tmux.killSession(record.name);
    await tmux.stopIfEmpty();
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

  /** Spawned sessions whose tmux session or process is gone are forgotten and `gone`; nothing is restarted. */
  async reconcile(): Promise<void> {
    const { registry, tmux, log } = this.deps;
    if (registry.all().length === 0) return;
    let panes: Awaited<ReturnType<SpawnTmux['list']>>;
    try {
      panes = await tmux.list();
    } catch (err) {
      log.warn({ err: String(err) }, 'could not list the spawned sessions');
      return;
    }
    for (const r of registry.all()) {
      const pane = panes.find((p) => p.name === r.name && p.pane === r.pane);
      if (pane && !pane.dead) continue;
      log.info({ session: r.name }, 'spawned session exited');
      await this.forget(r);
    }
    if (registry.all().length === 0) await tmux.stopIfEmpty().catch(() => undefined);
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
