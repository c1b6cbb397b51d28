// A lab for end-to-end tests: a temp dir holding every home, a real relay and real host agents
// started as processes (`crosstalk relay serve --port 0`, `crosstalk agent run`), hosts enrolled
// through the real CLI, a private tmux server, and one log book with everything's output.
// `cleanup()` stops and removes all of it; call it in afterAll/afterEach, also after a failure.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAgentStatus, homeLayout, type AgentStatusReport } from '@crosstalk/agent';
import { runCli, type CliOptions, type CliResult } from './cli.js';
import { LogBook } from './logbook.js';
import { AGENT_ENTRY, CLI_BIN, NODE } from './paths.js';
import { spawnProcess, type ManagedProcess } from './process.js';
import { PrivateTmux } from './tmux.js';
import { waitFor, type WaitOptions } from './wait.js';

export interface Relay {
  /** `http://127.0.0.1:<port>` as the relay wrote it to listen.json. */
  url: string;
  port: number;
  /** The relay machine's crosstalk home; its data dir is `<home>/relay`, so `--admin` works there. */
  home: string;
  dataDir: string;
  process: ManagedProcess;
}

export interface Host {
  name: string;
  /** CROSSTALK_HOME of this host. */
  home: string;
  /** Runs `crosstalk …` as this host. */
  run(args: string[], options?: Omit<CliOptions, 'env'> & { env?: Record<string, string> }): Promise<CliResult>;
}

export interface Agent {
  host: Host;
  process: ManagedProcess;
  status(): Promise<AgentStatusReport>;
}

/** A result as text, for assertion messages. */
export function explain(r: CliResult): string {
  return `crosstalk ${r.args.join(' ')} → exit ${r.exitCode}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

export class Lab {
  readonly book = new LogBook();
  private readonly processes: ManagedProcess[] = [];
  private tmuxServer: PrivateTmux | null = null;
  private readonly files: Array<{ name: string; path: string }> = [];
  relay: Relay | null = null;

  private constructor(readonly dir: string) {}

  static async create(name: string): Promise<Lab> {
    const lab = new Lab(await mkdtemp(join(tmpdir(), `ct-e2e-${name}-`)));
    await mkdir(lab.userHome, { recursive: true });
    return lab;
  }

  /** HOME of every process the lab starts: nothing a test runs touches the real one. */
  get userHome(): string {
    return join(this.dir, 'user-home');
  }

  /**
   * The whole environment of a process: PATH, a private HOME, LANG and CROSSTALK_HOME. Nothing
   * leaks in from the test runner's environment (no TMUX, TMUX_PANE, CROSSTALK_HOME).
   */
  env(home?: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
    return { PATH: process.env.PATH, HOME: this.userHome, LANG: 'C.UTF-8', TZ: 'UTC', ...(home === undefined ? {} : { CROSSTALK_HOME: home }), ...extra };
  }

  /** Runs `crosstalk …` with a home (or none). */
  run(home: string | undefined, args: string[], options: Omit<CliOptions, 'env'> & { env?: Record<string, string> } = {}): Promise<CliResult> {
    const { env, ...rest } = options;
    return runCli(this.book, args, { ...rest, env: this.env(home, env) });
  }

  /** Starts `crosstalk …` as a long-running process (tail -f, wait, up, …). */
  spawn(name: string, home: string | undefined, args: string[], options: { env?: Record<string, string>; input?: string } = {}): ManagedProcess {
    const p = spawnProcess(this.book, name, NODE, [CLI_BIN, ...args], { env: this.env(home, options.env), ...(options.input === undefined ? {} : { input: options.input }) });
    this.processes.push(p);
    return p;
  }

  private track(p: ManagedProcess): ManagedProcess {
    this.processes.push(p);
    return p;
  }

  /** Waits with the lab's logs attached to a timeout. */
  waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: Omit<WaitOptions, 'logs'> = {}): Promise<T> {
    return waitFor(what, check, { ...options, logs: () => this.logs() });
  }

  /** `crosstalk relay serve --port 0` in a home of its own; resolves once it listens. */
  async startRelay(options: { port?: number; home?: string } = {}): Promise<Relay> {
    const home = options.home ?? join(this.dir, 'relay-home');
    const dataDir = join(home, 'relay');
    const proc = this.spawn('relay', home, ['relay', 'serve', '--port', String(options.port ?? 0), '--log-level', 'debug']);
    const listen = await this.waitFor('the relay to listen', async () => {
      if (!proc.running) throw new Error(`the relay exited: ${proc.stderr().slice(-2000)}`);
      const text = await readFile(join(dataDir, 'listen.json'), 'utf8').catch(() => '');
      const parsed = text ? (JSON.parse(text) as { url: string; pid: number }) : undefined;
      return parsed?.pid === proc.pid ? parsed : undefined;
    });
    this.relay = { url: listen.url, port: Number(new URL(listen.url).port), home, dataDir, process: proc };
    return this.relay;
  }

  /** Stops the relay (SIGTERM) and starts it again on the same port and data dir. */
  async restartRelay(): Promise<Relay> {
    const old = this.requireRelay();
    await old.process.stop();
    return this.startRelay({ port: old.port, home: old.home });
  }

  private requireRelay(): Relay {
    if (!this.relay) throw new Error('start the relay first (lab.startRelay())');
    return this.relay;
  }

  /** A home enrolled as `name` through the CLI: `relay invite` on the relay, `agent join` here. */
  async host(name: string): Promise<Host> {
    const relay = this.requireRelay();
    const home = join(this.dir, `host-${name}`);
    const host: Host = { name, home, run: (args, options) => this.run(home, args, options) };
    const invite = await this.run(relay.home, ['relay', 'invite', '--host', name, '--json']);
    if (invite.exitCode !== 0) throw new Error(`relay invite failed\n${explain(invite)}\n${await this.logs()}`);
    const joined = await host.run(['agent', 'join', relay.url, '--invite', invite.json<{ invite: string }>().invite, '--host', name]);
    if (joined.exitCode !== 0) throw new Error(`agent join failed\n${explain(joined)}\n${await this.logs()}`);
    return host;
  }

  /**
   * `crosstalk agent run` for a host; resolves once the agent is connected. With `tuning`, the
   * agent runs from an entry that takes timing knobs the command line does not offer (the wake-up
   * retries, for one).
   */
  async startAgent(host: Host, options: { tuning?: Record<string, unknown> } = {}): Promise<Agent> {
    const proc = options.tuning
      ? this.track(spawnProcess(this.book, `agent ${host.name}`, NODE, [AGENT_ENTRY, JSON.stringify({ home: host.home, tuning: options.tuning, logLevel: 'debug' })], { env: this.env(host.home) }))
      : this.spawn(`agent ${host.name}`, host.home, ['agent', 'run', '--log-level', 'debug']);
    const layout = homeLayout(host.home);
    const agent: Agent = { host, process: proc, status: () => readAgentStatus(layout) };
    await this.waitFor(`the agent of ${host.name} to connect`, async () => {
      if (!proc.running) throw new Error(`the agent of ${host.name} exited`);
      const report = await agent.status();
      return report.running && report.status?.pid === proc.pid && report.status.connected;
    });
    return agent;
  }

  /** The lab's private tmux server (socket in the lab dir); started on first use. */
  async tmux(): Promise<PrivateTmux> {
    if (!this.tmuxServer) {
      this.tmuxServer = new PrivateTmux(join(this.dir, 'tmux.sock'), this.env());
      await this.tmuxServer.start();
    }
    return this.tmuxServer;
  }

  /** Adds a file (e.g. a log a process writes itself) to what `logs()` shows. */
  attachFile(name: string, path: string): void {
    this.files.push({ name, path });
  }

  /** Every process's output, every CLI run, every attached file, and every tmux pane's screen. */
  async logs(): Promise<string> {
    const screens = this.tmuxServer ? await this.tmuxServer.screens() : '';
    const files = await Promise.all(this.files.map(async (f) => `----- ${f.name} (${f.path})\n${(await readFile(f.path, 'utf8').catch(() => '(missing)')).slice(-30_000)}`));
    return [this.book.dump(), ...files, screens].join('\n');
  }

  /** Stops every process (SIGTERM, then SIGKILL), kills the tmux server, removes the lab dir. */
  async cleanup(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop('SIGTERM', 5_000).catch(() => undefined)));
    await this.tmuxServer?.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
