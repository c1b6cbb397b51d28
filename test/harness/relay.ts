// A relay as a real process on a data dir: started (the real `main.js serve`, or the harness
// entry when a suite needs a short heartbeat), killed with SIGKILL, restarted on the same port
// and data dir, and an admin client signed with the key from its data dir.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRelayClient, adminClient, type RelayClient } from '@crosstalk/agent';
import { readAdminKey } from '@crosstalk/relay';
import { RELAY_ENTRY, RELAY_MAIN } from './paths.js';
import type { Proc, Procs } from './procs.js';
import { waitFor } from './wait.js';

export interface RelayProcOptions {
  dataDir: string;
  host?: string;
  port?: number;
  netns?: string | undefined;
  logLevel?: string;
  /** Given: the harness entry runs the relay with this heartbeat (and `rateLimit`). */
  heartbeatMs?: number;
  rateLimit?: false | { perSecond: number; burst: number };
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

  private async launch(): Promise<void> {
    const o = this.options;
    const level = o.logLevel ?? 'info';
    this.starts++;
    const name = `relay#${this.starts}`;
    const custom = o.heartbeatMs !== undefined || o.rateLimit !== undefined;
    this.proc = custom
      ? this.procs.node(name, RELAY_ENTRY, [
          JSON.stringify({ dataDir: o.dataDir, host: this.host, port: this.port, logLevel: level, heartbeatMs: o.heartbeatMs, rateLimit: o.rateLimit }),
        ], { netns: o.netns })
      : this.procs.node(name, RELAY_MAIN, ['serve', '--data-dir', o.dataDir, '--host', this.host, '--port', String(this.port), '--log-level', level], {
          netns: o.netns,
        });
    const proc = this.proc;
    // listen.json names the pid of the relay that wrote it: the new one is up when it names ours.
    const listen = await waitFor(
      `${name} to listen`,
      async () => {
        if (!proc.alive) throw new Error(`${name} exited: ${JSON.stringify(proc.exitInfo)}`);
        const text = await readFile(join(o.dataDir, 'listen.json'), 'utf8').catch(() => '');
        if (!text) return null;
        const l = JSON.parse(text) as { url: string; pid: number };
        return l.pid === proc.pid ? l : null;
      },
      { timeoutMs: 30_000, logs: () => proc.logs() },
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
    if (this.proc.alive) await this.proc.stop();
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
