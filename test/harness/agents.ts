// A host agent as a real process on a home: the real `main.js run`, or the harness entry when a
// suite needs a short heartbeat and backoff. Killed with SIGKILL and restarted on the same home.
import { homeLayout, readAgentStatus, type AgentStatusReport } from '@crosstalk/agent';
import { AGENT_ENTRY, AGENT_MAIN, CLI_BIN } from './paths.js';
import type { Proc, Procs } from './procs.js';
import { waitFor } from './wait.js';

export interface AgentProcOptions {
  netns?: string | undefined;
  logLevel?: string;
  /** Given: the harness entry runs the agent with these timing knobs. */
  tuning?: Record<string, unknown>;
  /** Run it as users do, `crosstalk agent run`, instead of the agent's own main.js. */
  viaCli?: boolean;
  env?: Record<string, string | undefined>;
}

/** What an agent process needs of its host: a name and a crosstalk home. */
export interface AgentHome {
  name: string;
  dir: string;
}

export class AgentProc {
  proc!: Proc;
  starts = 0;

  private constructor(
    private readonly procs: Procs,
    readonly home: AgentHome,
    private readonly options: AgentProcOptions,
  ) {}

  static start(procs: Procs, home: AgentHome, options: AgentProcOptions = {}): AgentProc {
    const agent = new AgentProc(procs, home, options);
    agent.launch();
    return agent;
  }

  private launch(): void {
    this.starts++;
    const name = `agent ${this.home.name}#${this.starts}`;
    const level = this.options.logLevel ?? 'info';
    const env = { CROSSTALK_HOME: this.home.dir, TMUX: undefined, TMUX_PANE: undefined, ...this.options.env };
    const where = { env, netns: this.options.netns };
    if (this.options.tuning) this.proc = this.procs.node(name, AGENT_ENTRY, [JSON.stringify({ home: this.home.dir, logLevel: level, tuning: this.options.tuning })], where);
    else if (this.options.viaCli) this.proc = this.procs.node(name, CLI_BIN, ['agent', 'run', '--log-level', level], where);
    else this.proc = this.procs.node(name, AGENT_MAIN, ['run', '--log-level', level], where);
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
