// Test support for the agent: a real relay (in-process, on 127.0.0.1 port 0, in a temp data
// dir), homes enrolled through the real enrollment, and agents run as real processes, with the
// logs of all of them for a wait that times out (`waitFor` of @crosstalk/core/test-support).
// Everything started is stopped by `cleanup()`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { adminClient, createRelayClient, type RelayClient } from '@crosstalk/client';
import { execa, type ResultPromise } from 'execa';
import { tokenSigner, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { readAdminKey, startRelay, type RunningRelay } from '@crosstalk/relay';
import { enroll } from '../enroll/enroll.js';
import { homeLayout, readAgentConfig, readHostKey, writeAgentConfig, type AgentConfig, type HomeLayout } from '../home/index.js';

export const AGENT_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
export const AGENT_ENTRY = fileURLToPath(new URL('./agent-entry.mjs', import.meta.url));

export async function readOr(path: string, fallback = ''): Promise<string> {
  return readFile(path, 'utf8').catch(() => fallback);
}

export interface Home {
  name: string;
  layout: HomeLayout;
  config: AgentConfig;
  /** Signs as this host. */
  client: RelayClient;
  key: Ed25519PrivateJwk;
}

export interface AgentRun {
  logs(): string;
  readonly exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  readonly pid: number;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export class Lab {
  relay!: RunningRelay;
  admin!: RelayClient;
  readonly relayLogs: string[] = [];
  private readonly agents: AgentRun[] = [];
  private readonly dirs: string[] = [];
  private port = 0;

  private constructor(readonly dir: string) {}

  static async start(): Promise<Lab> {
    const lab = new Lab(await mkdtemp(join(tmpdir(), 'ct-agent-lab-')));
    await lab.startRelay();
    return lab;
  }

  get dataDir(): string {
    return join(this.dir, 'relay');
  }

  get url(): string {
    return this.relay.url;
  }

  async startRelay(): Promise<void> {
    const logs = this.relayLogs;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString('utf8'));
        if (logs.length > 2000) logs.shift();
        done();
      },
    });
    // Pings every second: agents run by runEntry take two silent seconds as a dead relay.
    this.relay = await startRelay({ dataDir: this.dataDir, port: this.port, logLevel: 'info', logDestination: sink, rateLimit: false, heartbeatMs: 1000 });
    this.port = this.relay.port;
    this.admin = await adminClient({ relayUrl: this.relay.url, adminKey: await readAdminKey(this.dataDir), relayId: this.relay.relayId });
  }

  /** Stops the relay and starts it again on the same port and data dir. */
  async restartRelay(between?: () => Promise<void>): Promise<void> {
    await this.relay.close();
    await between?.();
    await this.startRelay();
  }

  async invite(host?: string): Promise<string> {
    return (await this.admin.createInvite(host === undefined ? {} : { host })).invite;
  }

  /** A fresh home enrolled as `name` through the real enrollment. */
  async home(name: string, options: { relayUrl?: string } = {}): Promise<Home> {
    const home = await mkdtemp(join(tmpdir(), `ct-home-${name}-`));
    this.dirs.push(home);
    const layout = homeLayout(home);
    await enroll({ relayUrl: this.url, invite: await this.invite(name), host: name, layout });
    if (options.relayUrl) await writeAgentConfig(layout.config, { ...(await readAgentConfig(layout.config)), relayUrl: options.relayUrl });
    const config = await readAgentConfig(layout.config);
    const key = await readHostKey(layout.hostKey);
    // The client talks to the relay itself, whatever URL the agent is given.
    const client = createRelayClient({ relayUrl: this.url, signer: await tokenSigner(key, config.host, config.relayId) });
    return { name, layout, config, client, key };
  }

  /** Runs `node dist/main.js run` for a home. */
  runMain(home: Home): AgentRun {
    return this.spawn(home, [AGENT_MAIN, 'run', '--log-level', 'debug']);
  }

  /** Runs the test entry (agent-entry.mjs): runAgent with short timings and optional crash hooks. */
  runEntry(home: Home, options: Record<string, unknown> = {}): AgentRun {
    return this.spawn(home, [AGENT_ENTRY, JSON.stringify({ home: home.layout.home, ...options })]);
  }

  private spawn(home: Home, args: string[]): AgentRun {
    const lines: string[] = [];
    const child: ResultPromise = execa(process.execPath, args, {
      env: { CROSSTALK_HOME: home.layout.home, TMUX: '', TMUX_PANE: '' },
      reject: false,
      timeout: 170_000,
      buffer: false,
      stdin: 'ignore',
      all: true,
    });
    child.all?.on('data', (chunk: Buffer) => {
      lines.push(chunk.toString('utf8'));
      if (lines.length > 5000) lines.shift();
    });
    const exited = child.then((r) => ({ exitCode: r.exitCode, signal: r.signal }));
    const run: AgentRun = {
      logs: () => `--- agent ${home.name} (pid ${child.pid})\n${lines.join('')}`,
      exited,
      pid: child.pid ?? -1,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
    this.agents.push(run);
    return run;
  }

  /** Every process's logs, for failure messages. */
  logs(): string {
    return [`--- relay\n${this.relayLogs.join('').slice(-20_000)}`, ...this.agents.map((a) => a.logs().slice(-30_000))].join('\n');
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.kill().catch(() => undefined)));
    await this.relay?.close().catch(() => undefined);
    for (const d of [...this.dirs, this.dir]) await rm(d, { recursive: true, force: true });
  }
}

export const key = () => randomBytes(9).toString('base64url');
