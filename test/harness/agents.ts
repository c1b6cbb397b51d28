// A host agent as a real process on a home: the real `main.js run`, or the harness entry when a
// suite needs a short heartbeat and backoff. Killed with SIGKILL and restarted on the same home.
import { homeLayout, readAgentStatus, type AgentStatusReport } from '@crosstalk/agent';
import type { Home } from './homes.js';
import { AGENT_ENTRY, AGENT_MAIN } from './paths.js';
import type { Proc, Procs } from './procs.js';
import { waitFor } from './wait.js';

export interface AgentProcOptions {
  netns?: string | undefined;
  logLevel?: string;
  /** Given: the harness entry runs the agent with these timing knobs. */
  tuning?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
}

export class AgentProc {
  proc!: Proc;
  starts = 0;

  private constructor(
    private readonly procs: Procs,
    readonly home: Home,
    private readonly options: AgentProcOptions,
  ) {}

  static start(procs: Procs, home: Home, options: AgentProcOptions = {}): AgentProc {
    const agent = new AgentProc(procs, home, options);
    agent.launch();
    return agent;
  }

  private launch(): void {
    this.starts++;
    const name = `agent ${this.home.name}#${this.starts}`;
    const level = this.options.logLevel ?? 'info';
    const env = { CROSSTALK_HOME: this.home.dir, TMUX: undefined, TMUX_PANE: undefined, ...this.options.env };
    this.proc = this.options.tuning
      ? this.procs.node(name, AGENT_ENTRY, [JSON.stringify({ home: this.home.dir, logLevel: level, tuning: this.options.tuning })], { env, netns: this.options.netns })
      : this.procs.node(name, AGENT_MAIN, ['run', '--log-level', level], { env, netns: this.options.netns });
  }

  status(): Promise<AgentStatusReport> {
    return readAgentStatus(homeLayout(this.home.dir));
  }

  /** Waits until this very process reports a live link to the relay. */
  async connected(timeoutMs = 30_000, logs?: () => string): Promise<void> {
    const proc = this.proc;
    await waitFor(
      `the agent of ${this.home.name} to connect`,
      async () => {
        if (!proc.alive) throw new Error(`the agent of ${this.home.name} exited: ${JSON.stringify(proc.exitInfo)}`);
        const r = await this.status();
        return r.running && r.status?.pid === proc.pid && r.status.connected;
      },
      { timeoutMs, logs: logs ?? (() => proc.logs()) },
    );
  }

  async kill9(): Promise<void> {
    await this.proc.kill9();
  }

  async restart(): Promise<void> {
    if (this.proc.alive) await this.proc.stop();
    this.launch();
  }

  async stop(): Promise<void> {
    await this.proc.stop();
  }
}
