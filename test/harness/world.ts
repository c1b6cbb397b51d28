// Machines for the end-to-end suites: a relay process, hosts each with a home enrolled through
// the real CLI (`relay invite`, `agent join`), its agent process (`crosstalk agent run`), its own
// tmux server, and its own network namespace where the machine allows. `logs()` gathers every
// process's output, every CLI run and every pane; `cleanup()` removes all of it, also after a
// failure.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProc } from './agents.js';
import { CliBook, explain, type CliRun } from './cli.js';
import { loopback, setupNetwork, type Network } from './netns.js';
import { CLI_BIN, SCRIPTED_AGENT } from './paths.js';
import { Procs } from './procs.js';
import { RelayProc } from './relay.js';
import { PrivateTmux, type Pane } from '../support/tmux.js';
import { waitFor, type Check } from './wait.js';

export interface WorldHost {
  name: string;
  home: string;
  netns: string | undefined;
  address: string;
  agent: AgentProc | null;
  tmux: PrivateTmux;
  /** `crosstalk …` as this host, in its namespace. */
  cli(args: string[], options?: { input?: string; env?: Record<string, string | undefined> }): Promise<CliRun>;
}

export interface ScriptedPane extends Pane {
  session: string;
  host: WorldHost;
  dir: string;
  lines(): Promise<string[]>;
  bytes(): Promise<Buffer>;
  actions(): Promise<any[]>;
}

const jsonl = async (path: string): Promise<any[]> =>
  (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

export class World {
  readonly procs = new Procs();
  readonly book = new CliBook();
  readonly hosts = new Map<string, WorldHost>();
  relay!: RelayProc;
  network!: Network;

  private constructor(readonly dir: string) {}

  static async create(name: string, hostNames: string[], options: { namespaces?: boolean } = {}): Promise<World> {
    const world = new World(await mkdtemp(join(tmpdir(), `ct-${name}-`)));
    world.network = options.namespaces === false ? loopback(hostNames, 'this suite runs on loopback') : await setupNetwork(hostNames);
    return world;
  }

  get relayHome(): string {
    return join(this.dir, 'relay-home');
  }

  /** The real `main.js serve`, on the bridge address (or loopback). */
  async startRelay(): Promise<RelayProc> {
    this.relay = await RelayProc.start(this.procs, { dataDir: join(this.relayHome, 'relay'), host: this.network.relayAddress, port: 0, logLevel: 'debug' });
    return this.relay;
  }

  /** Enrolls a host through the CLI and starts its agent (`crosstalk agent run`) and tmux server. */
  async addHost(name: string, options: { agent?: boolean; conversationsDir?: string } = {}): Promise<WorldHost> {
    const net = this.network.hosts.get(name) ?? { netns: undefined, address: '127.0.0.1' };
    const home = join(this.dir, 'homes', name);
    await mkdir(home, { recursive: true, mode: 0o700 });
    const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TZ: 'UTC' };
    const host: WorldHost = {
      name,
      home,
      netns: net.netns,
      address: net.address,
      agent: null,
      tmux: new PrivateTmux(join(this.dir, `tmux-${name}.sock`), env, net.netns),
      cli: (args, o = {}) => this.book.run(args, { home, netns: net.netns, ...o }),
    };
    this.hosts.set(name, host);
    const invite = await this.book.run(['relay', 'invite', '--host', name, '--data-dir', this.relay.dataDir, '--url', this.relay.url, '--json'], { home: this.relayHome });
    if (invite.exitCode !== 0) throw new Error(`relay invite failed\n${explain(invite)}`);
    const join_ = ['agent', 'join', this.relay.url, '--invite', invite.json().invite, '--host', name, '--json'];
    if (options.conversationsDir) join_.push('--conversations-dir', options.conversationsDir);
    const joined = await host.cli(join_);
    if (joined.exitCode !== 0) throw new Error(`agent join failed\n${explain(joined)}\n${await this.logs()}`);
    if (options.agent !== false) await this.startAgent(host);
    return host;
  }

  async startAgent(host: WorldHost): Promise<AgentProc> {
    host.agent = AgentProc.start(this.procs, { name: host.name, dir: host.home }, { netns: host.netns, viaCli: true, logLevel: 'debug', env: { HOME: host.home, LANG: 'C.UTF-8' } });
    await host.agent.connected(30_000, () => this.procs.logs());
    return host.agent;
  }

  /** A scripted coding agent in a new pane of the host's tmux server; resolves once it has joined. */
  async scriptedSession(host: WorldHost, session: string, config: Record<string, unknown>): Promise<ScriptedPane> {
    const dir = join(this.dir, 'panes', session);
    await mkdir(dir, { recursive: true });
    const full = { dir, cli: CLI_BIN, session, ...config };
    const ref = await host.tmux.window([process.execPath, SCRIPTED_AGENT, JSON.stringify(full)], { CROSSTALK_HOME: host.home });
    await this.waitFor(`${session} to join in ${ref.pane}`, () => readFile(join(dir, 'ready'), 'utf8').catch(() => null));
    return {
      ...ref,
      session,
      host,
      dir,
      lines: () => jsonl(join(dir, 'lines.jsonl')),
      bytes: () => readFile(join(dir, 'bytes.log')),
      actions: () => jsonl(join(dir, 'actions.jsonl')),
    };
  }

  waitFor<T>(what: string, check: Check<T>, timeoutMs = 60_000): Promise<T> {
    return waitFor(what, check, { timeoutMs, everyMs: 50, logs: () => this.logs() });
  }

  async logs(): Promise<string> {
    const screens: string[] = [];
    for (const h of this.hosts.values()) screens.push(await h.tmux.screens());
    return `${this.procs.logs()}\n--- CLI runs ---\n${this.book.logs()}\n--- panes ---\n${screens.join('\n')}`;
  }

  async cleanup(): Promise<void> {
    await this.procs.stopAll();
    for (const h of this.hosts.values()) await h.tmux.kill();
    await this.network.cleanup();
    await rm(this.dir, { recursive: true, force: true });
  }
}
