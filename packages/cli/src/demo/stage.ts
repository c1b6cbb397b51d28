// Everything `crosstalk demo` runs, in one temp dir: a private relay, two agents posing as two
// hosts, and a private tmux server with the scripted sessions. It knows how to wait for
// something with the logs at hand, and how to remove it all again, also after a failure.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enroll, homeLayout, runAgent, type RunningAgent } from '@crosstalk/agent';
import { adminClient, type RelayClient } from '@crosstalk/client';
import { CrosstalkError } from '@crosstalk/core';
import type { RunningRelay } from '@crosstalk/relay';
import { isMissing } from '../lib/system-error.js';
import { OPENER, RESPONDER, type DemoParty } from './script.js';
import type { SessionConfig } from './session.js';
import { PrivateTmux } from './tmux.js';

export class DemoInterrupted extends Error {}

/** How the scripted sessions are started: node, the CLI they call, and the built session.js. */
export interface SessionLauncher {
  nodePath: string;
  cliPath: string;
  sessionScript: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A file's text, or null when it was never written. */
export async function readIfWritten(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch((err: unknown) => (isMissing(err) ? null : Promise.reject(err)));
}

export class DemoStage {
  readonly tmux: PrivateTmux;
  private readonly panes = new Map<string, string>();
  private readonly relayLog: WriteStream;
  private readonly agents: RunningAgent[] = [];
  private relay: RunningRelay | null = null;

  private constructor(
    readonly root: string,
    env: Record<string, string | undefined>,
    private readonly signal: AbortSignal,
  ) {
    this.tmux = new PrivateTmux(join(root, 'tmux.sock'), env);
    this.relayLog = createWriteStream(join(root, 'relay.log'));
  }

  static async create(tmpRoot: string, env: Record<string, string | undefined>, signal: AbortSignal): Promise<DemoStage> {
    return new DemoStage(await mkdtemp(join(tmpRoot, 'crosstalk-demo-')), env, signal);
  }

  /** The relay, and both hosts enrolled with it and running their agents; returns the admin's client. */
  async startHosts(): Promise<RelayClient> {
    const { readAdminKey, startRelay } = await import('@crosstalk/relay');
    this.relay = await startRelay({ dataDir: join(this.root, 'relay'), port: 0, logLevel: 'info', logDestination: this.relayLog });
    const admin = await adminClient({ relayUrl: this.relay.url, adminKey: await readAdminKey(join(this.root, 'relay')), relayId: this.relay.relayId });
    for (const party of [OPENER, RESPONDER]) {
      const layout = homeLayout(join(this.root, party.host));
      const { invite } = await admin.createInvite({ host: party.host });
      await enroll({ relayUrl: this.relay.url, invite, host: party.host, layout });
      this.agents.push(await runAgent({ layout, logLevel: 'debug', logDestination: join(this.root, party.host, 'agent.log') }));
    }
    return admin;
  }

  /** A scripted session in its own tmux window; resolves once it has joined. */
  async startSession(launch: SessionLauncher, admin: RelayClient, party: DemoParty, opens: boolean, peer: DemoParty, deadline: number): Promise<void> {
    const config: SessionConfig = {
      session: party.session,
      standsFor: party.standsFor,
      host: party.host,
      home: join(this.root, party.host),
      node: launch.nodePath,
      cli: launch.cliPath,
      opens,
      peer: peer.session,
      log: join(this.root, `${party.session}.jsonl`),
    };
    const file = join(this.root, `${party.session}.json`);
    await writeFile(file, JSON.stringify(config));
    this.panes.set(party.session, await this.tmux.window(party.session, [launch.nodePath, launch.sessionScript, file]));
    const joined = async () => ((await admin.listSessions()).sessions.some((s) => s.name === party.session) ? true : undefined);
    await this.until(`${party.session} to join`, joined, deadline);
  }

  /** Polls until `check` gives a value; fails with the panes and logs at the deadline. */
  async until<T>(what: string, check: () => Promise<T | undefined>, deadline: number): Promise<T> {
    for (;;) {
      if (this.signal.aborted) throw new DemoInterrupted('interrupted');
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        throw new CrosstalkError('TIMEOUT', `the demo timed out waiting for ${what}\n${await this.diagnostics()}`, {
          hint: 'run `crosstalk doctor`; the logs above show where it stopped',
        });
      }
      await sleep(100);
    }
  }

  private async diagnostics(): Promise<string> {
    const parts: string[] = [];
    for (const [session, pane] of this.panes) parts.push(`--- pane of ${session}\n${await this.tmux.capture(pane)}`);
    const logs = [
      ...[OPENER, RESPONDER].flatMap((p) => [join(this.root, `${p.session}.jsonl`), join(this.root, p.host, 'agent.log')]),
      join(this.root, 'relay.log'),
    ];
    for (const file of logs) parts.push(`--- ${file}\n${((await readIfWritten(file)) ?? '(none)').slice(-6000)}`);
    return parts.join('\n');
  }

  /** Stops and removes everything; keeps the temp dir when asked to. */
  async tearDown(keep: boolean): Promise<void> {
    await this.tmux.kill();
    // Best effort: a stop that fails must not hide the demo's own result or error.
    await Promise.all(this.agents.map((a) => a.stop().catch(() => undefined)));
    await this.relay?.close().catch(() => undefined);
    await new Promise<void>((r) => this.relayLog.end(() => r()));
    if (!keep) await rm(this.root, { recursive: true, force: true });
  }
}
