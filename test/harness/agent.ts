// A host agent as a real process on a home: `crosstalk agent run` as users run it, the agent's own
// `main.js run`, or the harness entry when a suite needs short timings; killed with SIGKILL and
// restarted on the same home.
import { homeLayout, readAgentStatus, type AgentStatusReport } from '@crosstalk/agent';
import { waitFor, type WaitOptions } from '@crosstalk/core/test-support';
import { AGENT_ENTRY, AGENT_MAIN, CLI_BIN } from './paths.js';
import type { Proc, Procs } from './process.js';

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
  home: string;
}

export class AgentProc {
  proc!: Proc;
  starts = 0;

  private constructor(
    private readonly procs: Procs,
    readonly host: AgentHome,
    private readonly options: AgentProcOptions,
  ) {}

  static start(procs: Procs, host: AgentHome, options: AgentProcOptions = {}): AgentProc {
    const agent = new AgentProc(procs, host, options);
    agent.launch();
    return agent;
  }

  private launch(): void {
    this.starts++;
    const name = `agent ${this.host.name}#${this.starts}`;
    const level = this.options.logLevel ?? 'info';
    const env = { ...this.options.env, CROSSTALK_HOME: this.host.home, TMUX: undefined, TMUX_PANE: undefined };
    const where = { env, netns: this.options.netns };
    if (this.options.tuning)
      this.proc = this.procs.node(name, AGENT_ENTRY, [JSON.stringify({ home: this.host.home, logLevel: level, tuning: this.options.tuning })], where);
    else if (this.options.viaCli) this.proc = this.procs.node(name, CLI_BIN, ['agent', 'run', '--log-level', level], where);
    else this.proc = this.procs.node(name, AGENT_MAIN, ['run', '--log-level', level], where);
  }

  status(): Promise<AgentStatusReport> {
    return readAgentStatus(homeLayout(this.host.home));
  }

  /** Waits until this very process reports a live link to the relay. */
  async connected(options: WaitOptions = {}): Promise<void> {
    const proc = this.proc;
    await waitFor(
      `the agent of ${this.host.name} to connect`,
      async () => {
        if (!proc.running) throw new Error(`the agent of ${this.host.name} exited: ${JSON.stringify(proc.exitInfo)}`);
        const r = await this.status();
        return r.running && r.status?.pid === proc.pid && r.status.connected;
      },
      { timeoutMs: 30_000, logs: () => this.procs.logs(), ...options },
    );
  }

  async kill9(): Promise<void> {
    await this.proc.kill9();
  }

  async restart(): Promise<void> {
    if (this.proc.running) await this.proc.stop();
    this.launch();
  }

  async stop(): Promise<void> {
    await this.proc.stop();
  }
}
