// A lab for end-to-end tests: a temp dir holding every home, a real relay and real host agents as
// processes (`crosstalk relay serve`, `crosstalk agent run`), hosts enrolled through the real CLI,
// each with its own private tmux server and, in a lab of machines, its own network namespace where
// this machine allows it; one log book with everything's output. `cleanup()` stops and removes all
// of it; call it in afterAll/afterEach (or take a lab from `labPerTest()`), also after a failure.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor, type Check, type WaitOptions } from '@crosstalk/core/test-support';
import { AgentProc } from './agent.js';
import { explain, runCli, type CliOptions, type CliResult } from './cli.js';
import { LogBook } from './logbook.js';
import { loopback, setupNetwork, type Network } from './netns.js';
import { CLI_BIN } from './paths.js';
import { Procs, type Proc } from './process.js';
import { RelayProc } from './relay.js';
import { PrivateTmux } from '../../packages/agent/src/terminals/tmux/__fixtures__/private-tmux.js';

export interface LabOptions {
  /** Hosts on machines of their own: a network namespace each where this machine allows it. */
  machines?: string[];
}

type RunOptions = Omit<CliOptions, 'env'> & { env?: Record<string, string | undefined> };

export interface Host {
  name: string;
  /** CROSSTALK_HOME of this host. */
  home: string;
  /** Its network namespace, or undefined on loopback. */
  netns: string | undefined;
  address: string;
  /** Its own tmux server, inside its namespace; started on first use. */
  tmux: PrivateTmux;
  /** Runs `crosstalk …` as this host, in its namespace. */
  run(args: string[], options?: Omit<RunOptions, 'netns'>): Promise<CliResult>;
}

export class Lab {
  readonly book = new LogBook();
  readonly procs = new Procs(this.book);
  readonly hosts = new Map<string, Host>();
  relay: RelayProc | null = null;
  private readonly files: Array<{ name: string; path: string }> = [];
  /** tmux servers a test started itself (beside the hosts'), shown in `logs()` and killed at cleanup. */
  private readonly extraTmux: PrivateTmux[] = [];

  private constructor(
    readonly dir: string,
    /** Where the relay listens and each host lives: namespaces, or loopback with a note saying why. */
    readonly network: Network,
  ) {}

  static async create(name: string, options: LabOptions = {}): Promise<Lab> {
    const dir = await mkdtemp(join(tmpdir(), `ct-e2e-${name}-`));
    const network = options.machines ? await setupNetwork(options.machines) : loopback([], 'every host on loopback');
    const lab = new Lab(dir, network);
    await mkdir(lab.userHome, { recursive: true });
    return lab;
  }

  /** HOME of every process the lab starts: nothing a test runs touches the real one. */
  get userHome(): string {
    return join(this.dir, 'user-home');
  }

  /**
   * The whole environment of a process: PATH, a private HOME, LANG, TZ and CROSSTALK_HOME. Nothing
   * leaks in from the test runner's environment (no TMUX, TMUX_PANE, CROSSTALK_HOME).
   */
  env(home?: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return { PATH: process.env.PATH, HOME: this.userHome, LANG: 'C.UTF-8', TZ: 'UTC', ...(home === undefined ? {} : { CROSSTALK_HOME: home }), ...extra };
  }

  /** Runs `crosstalk …` with a home (or none), on this machine's own network. */
  run(home: string | undefined, args: string[], options: RunOptions = {}): Promise<CliResult> {
    const { env, ...rest } = options;
    return runCli(this.book, args, { ...rest, env: this.env(home, env) });
  }

  /** Starts `crosstalk …` as a long-running process (tail -f, wait, up, …). */
  spawn(name: string, home: string | undefined, args: string[], options: { env?: Record<string, string>; input?: string } = {}): Proc {
    return this.procs.node(name, CLI_BIN, args, { env: this.env(home, options.env), input: options.input });
  }

  /** Waits (60 s by default) with the lab's logs attached to a timeout. */
  waitFor<T>(what: string, check: Check<T>, options: Omit<WaitOptions, 'logs'> = {}): Promise<T> {
    return waitFor(what, check, { timeoutMs: 60_000, intervalMs: 50, ...options, logs: () => this.logs() });
  }

  /** `crosstalk relay serve` in a home of its own, on port 0 by default; resolves once it listens. */
  async startRelay(options: { port?: number; home?: string; serveArgs?: string[] } = {}): Promise<RelayProc> {
    const home = options.home ?? join(this.dir, 'relay-home');
    this.relay = await RelayProc.start(this.procs, {
      dataDir: join(home, 'relay'),
      host: this.network.relayAddress,
      port: options.port ?? 0,
      logLevel: 'debug',
      viaCliHome: home,
      ...(options.serveArgs ? { serveArgs: options.serveArgs } : {}),
      env: this.env(home),
    });
    return this.relay;
  }

  /** Stops the relay (SIGTERM) and starts it again on the same port and data dir. */
  async restartRelay(): Promise<RelayProc> {
    const relay = this.requireRelay();
    await relay.restart();
    return relay;
  }

  private requireRelay(): RelayProc {
    if (!this.relay) throw new Error('start the relay first (lab.startRelay())');
    return this.relay;
  }

  /** A home enrolled as `name` through the CLI: `relay invite` on the relay, `agent join` on the host. */
  async host(name: string): Promise<Host> {
    const relay = this.requireRelay();
    const host = this.hostAt(name, join(this.dir, 'homes', name));
    const invite = await this.run(relay.home, ['relay', 'invite', '--host', name, '--url', relay.url, '--json']);
    if (invite.exitCode !== 0) throw new Error(`relay invite failed\n${explain(invite)}\n${await this.logs()}`);
    const joined = await host.run(['agent', 'join', relay.url, '--invite', invite.json<{ invite: string }>().invite, '--host', name, '--json']);
    if (joined.exitCode !== 0) throw new Error(`agent join failed\n${explain(joined)}\n${await this.logs()}`);
    return host;
  }

  /** The host `name` with a home enrolled by other means (`crosstalk up`, say), on its machine. */
  hostAt(name: string, home: string): Host {
    const { netns, address } = this.network.hosts.get(name) ?? { netns: undefined, address: '127.0.0.1' };
    const host: Host = {
      name,
      home,
      netns,
      address,
      tmux: new PrivateTmux(join(this.dir, `tmux-${name}.sock`), this.env(), { netns }),
      run: (args, options = {}) => this.run(home, args, { ...options, netns }),
    };
    this.hosts.set(name, host);
    return host;
  }

  /**
   * `crosstalk agent run` for a host, in its namespace; resolves once the agent is connected. With
   * `tuning`, the agent runs from an entry that takes timing knobs the command line does not offer.
   */
  async startAgent(host: Host, options: { tuning?: Record<string, unknown> } = {}): Promise<AgentProc> {
    const agent = AgentProc.start(this.procs, host, { netns: host.netns, viaCli: true, logLevel: 'debug', tuning: options.tuning, env: this.env(host.home) });
    await agent.connected({ logs: () => this.logs() });
    return agent;
  }

  /** Adds a file (e.g. a log a process writes itself) to what `logs()` shows. */
  attachFile(name: string, path: string): void {
    this.files.push({ name, path });
  }

  /** A tmux server of the test's own: its panes' screens go into `logs()`, and `cleanup()` kills it. */
  attachTmux(tmux: PrivateTmux): PrivateTmux {
    this.extraTmux.push(tmux);
    return tmux;
  }

  /** Every process's output, every CLI run, every attached file, and every tmux pane's screen. */
  async logs(): Promise<string> {
    const files = await Promise.all(
      this.files.map(async (f) => `----- ${f.name} (${f.path})\n${(await readFile(f.path, 'utf8').catch(() => '(missing)')).slice(-30_000)}`),
    );
    const screens = await Promise.all([...[...this.hosts.values()].map((h) => h.tmux), ...this.extraTmux].map((t) => t.screens()));
    return [this.book.dump(), ...files, ...screens].join('\n');
  }

  /** Stops every process (SIGTERM, then SIGKILL), kills the tmux servers, removes namespaces and the lab dir. */
  async cleanup(): Promise<void> {
    await this.procs.stopAll();
    for (const t of [...[...this.hosts.values()].map((h) => h.tmux), ...this.extraTmux]) await t.kill();
    await this.network.cleanup();
    await rm(this.dir, { recursive: true, force: true });
  }
}
