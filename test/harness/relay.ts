// A relay as a real process on a data dir: `crosstalk relay serve` as users run it, the relay's own
// `main.js serve`, or the harness entry when a suite needs a short heartbeat; killed with SIGKILL,
// restarted on the same port and data dir, and an admin client signed with the key from its data dir.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRelayClient, adminClient, type RelayClient } from '@crosstalk/client';
import { waitFor } from '@crosstalk/core/test-support';
import { readAdminKey } from '@crosstalk/relay';
import { CLI_BIN, RELAY_ENTRY, RELAY_MAIN } from './paths.js';
import type { Proc, Procs } from './process.js';

export interface RelayProcOptions {
  dataDir: string;
  host?: string;
  port?: number;
  netns?: string | undefined;
  logLevel?: string;
  /** Given: the harness entry runs the relay with this heartbeat (and `rateLimit`). */
  heartbeatMs?: number;
  rateLimit?: false | { perSecond: number; burst: number };
  /** Run it as users do, `crosstalk relay serve`, with this crosstalk home (the relay machine's). */
  viaCliHome?: string;
  /** More options for `crosstalk relay serve` (with viaCliHome). */
  serveArgs?: string[];
  env?: Record<string, string | undefined>;
}

export class RelayProc {
  proc!: Proc;
  url = '';
  port = 0;
  relayId = '';
  epoch = '';
  starts = 0;
  private admin: RelayClient | null = null;

  private constructor(
    private readonly procs: Procs,
    readonly options: RelayProcOptions,
  ) {
    this.port = options.port ?? 0;
  }

  static async start(procs: Procs, options: RelayProcOptions): Promise<RelayProc> {
    const relay = new RelayProc(procs, options);
    await relay.launch();
    return relay;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** The relay machine's crosstalk home, where `relay invite` and `--admin` find the data dir. */
  get home(): string | undefined {
    return this.options.viaCliHome;
  }

  private spawn(name: string): Proc {
    const o = this.options;
    const level = o.logLevel ?? 'info';
    const where = { netns: o.netns, env: { ...(o.viaCliHome ? { CROSSTALK_HOME: o.viaCliHome } : {}), ...o.env } };
    const serve = ['serve', '--data-dir', o.dataDir, '--host', this.host, '--port', String(this.port), '--log-level', level];
    if (o.heartbeatMs !== undefined || o.rateLimit !== undefined) {
      const entry = { dataDir: o.dataDir, host: this.host, port: this.port, logLevel: level, heartbeatMs: o.heartbeatMs, rateLimit: o.rateLimit };
      return this.procs.node(name, RELAY_ENTRY, [JSON.stringify(entry)], where);
    }
    if (o.viaCliHome !== undefined) return this.procs.node(name, CLI_BIN, ['relay', ...serve, ...(o.serveArgs ?? [])], where);
    return this.procs.node(name, RELAY_MAIN, serve, where);
  }

  private async launch(): Promise<void> {
    this.starts++;
    const name = `relay#${this.starts}`;
    const proc = (this.proc = this.spawn(name));
    // listen.json names the pid of the relay that wrote it: the new one is up when it names ours
    // and has said so on stderr (the line comes just after the file, so tests can read it).
    const listen = await waitFor(
      `${name} to listen`,
      async () => {
        if (!proc.running) throw new Error(`${name} exited: ${JSON.stringify(proc.exitInfo)}`);
        const text = await readFile(join(this.dataDir, 'listen.json'), 'utf8').catch(() => '');
        const l = text ? (JSON.parse(text) as { url: string; pid: number }) : null;
        return l?.pid === proc.pid && proc.stderr().includes('listening on') ? l : null;
      },
      { timeoutMs: 30_000, logs: () => this.procs.logs() },
    );
    this.url = listen.url;
    this.port = Number(new URL(listen.url).port);
    const health = await createRelayClient({ relayUrl: this.url, timeoutMs: 5_000 }).health();
    this.relayId = health.relayId;
    this.epoch = health.epoch;
  }

  /** SIGKILL: no flush, no goodbye. */
  async kill9(): Promise<void> {
    await this.proc.kill9();
  }

  /** SIGTERM and wait. */
  async stop(): Promise<void> {
    await this.proc.stop();
  }

  /** A new process on the same data dir and port. */
  async restart(): Promise<void> {
    if (this.proc.running) await this.proc.stop();
    await this.launch();
  }

  async adminClient(): Promise<RelayClient> {
    this.admin ??= await adminClient({ relayUrl: this.url, adminKey: await readAdminKey(this.dataDir), relayId: this.relayId, timeoutMs: 10_000 });
    return this.admin;
  }

  logs(): string {
    return this.proc.logs();
  }
}
