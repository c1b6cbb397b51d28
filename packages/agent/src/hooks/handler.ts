// What the agent does with a coding agent's hook (`crosstalk hook …` on its local endpoint): moves
// the session's state, answers a Stop hook with the turn pending for its session (the coding agent
// goes on with it, nothing typed), and holds a waiting hook (Claude Code's asyncRewake) until a turn
// comes for its idle session. One waiting hook per session: the newest; older ones are let go.
import type { WakeOrchestrator } from '../delivery/orchestrator.js';
import type { SessionActivities } from './activity.js';
import type { SessionBinder } from './binding.js';
import { readHookRequest, type HookReport } from './report.js';

export interface HookLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface HookHandlerDeps {
  binder: SessionBinder;
  activities: SessionActivities;
  orchestrator: Pick<WakeOrchestrator, 'takeForStop' | 'stateChanged' | 'retryFailed'>;
  /** A session's activity changed (presence, status file). */
  onActivity(session: string): void;
  now(): number;
  log: HookLogger;
}

type Reply = Record<string, unknown>;

interface Waiter {
  pid: number;
  settle(reply: Reply): void;
}

/** Waiting hooks remembered as let go, per session, so a late round of one is let go again. */
const MAX_RETIRED = 16;

export class HookHandler {
  private readonly waiters = new Map<string, Waiter>();
  private readonly retired = new Map<string, number[]>();

  constructor(private readonly deps: HookHandlerDeps) {}

  async handle(request: Record<string, unknown>, closed: AbortSignal): Promise<Reply> {
    const report = readHookRequest(request);
    if (!report) return {};
    const session = await this.deps.binder.resolve(report);
    if (session === null) {
      this.deps.log.debug({ agent: report.agent, event: report.event, agentSession: report.agentSession }, 'a hook of no joined session');
      return {};
    }
    if (report.wait) return this.wait(session, report, closed);
    return this.signal(session, report);
  }

  /** Hands the line to the session's waiting hook, if one waits; true when it took it. */
  offer(session: string, line: string): boolean {
    const waiter = this.waiters.get(session);
    if (!waiter) return false;
    this.waiters.delete(session);
    waiter.settle({ rewake: line });
    return true;
  }

  /** Whether a hook waits to wake this session. */
  waiting(session: string): boolean {
    return this.waiters.has(session);
  }

  /** Lets every waiting hook go (the agent stops). */
  close(): void {
    for (const waiter of this.waiters.values()) waiter.settle({ stop: true });
    this.waiters.clear();
  }

  private async signal(session: string, report: HookReport): Promise<Reply> {
    const { activities, orchestrator } = this.deps;
    const before = activities.get(session).state;
    activities.signal(session, report.event, report.signal, this.deps.now());
    let output: Reply | undefined;
    // The turn is taken before anyone hears of the idle: nothing else may type it meanwhile.
    if (report.stop) {
      const line = await orchestrator.takeForStop(session, report.stopHookActive);
      if (line !== null) output = { decision: 'block', reason: line };
    }
    if (report.signal === 'started') orchestrator.retryFailed(session);
    if (report.signal === 'ended') this.letGo(session);
    if (activities.get(session).state !== before) {
      orchestrator.stateChanged(session);
      this.deps.onActivity(session);
    }
    this.deps.log.debug({ session, event: report.event, state: activities.get(session).state, handedOver: output !== undefined }, 'hook');
    return output ? { output } : {};
  }

  private wait(session: string, report: HookReport, closed: AbortSignal): Promise<Reply> {
    if (this.deps.activities.get(session).state === 'gone' || this.retired.get(session)?.includes(report.pid)) return Promise.resolve({ stop: true });
    const current = this.waiters.get(session);
    if (current && current.pid !== report.pid) {
      current.settle({ stop: true });
      this.retire(session, current.pid);
    } else if (current) {
      // The same hook's earlier round, still open: this one replaces it.
      current.settle({});
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        pid: report.pid,
        settle: (reply) => {
          clearTimeout(timer);
          closed.removeEventListener('abort', hangUp);
          if (this.waiters.get(session) === waiter) this.waiters.delete(session);
          resolve(reply);
        },
      };
      const hangUp = () => waiter.settle({});
      // The hook asks again after each round, so it notices when its coding agent is gone.
      const timer = setTimeout(() => waiter.settle({}), report.waitMs);
      closed.addEventListener('abort', hangUp);
      this.waiters.set(session, waiter);
      this.deps.log.debug({ session, pid: report.pid, waitMs: report.waitMs }, 'hook waiting');
      if (closed.aborted) hangUp();
    });
  }

  private letGo(session: string): void {
    const waiter = this.waiters.get(session);
    if (!waiter) return;
    waiter.settle({ stop: true });
    this.retire(session, waiter.pid);
  }

  private retire(session: string, pid: number): void {
    const list = this.retired.get(session) ?? [];
    list.push(pid);
    if (list.length > MAX_RETIRED) list.shift();
    this.retired.set(session, list);
  }
}
