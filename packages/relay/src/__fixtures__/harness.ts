// Test support: real relays on 127.0.0.1 port 0 in temp dirs, enrolled hosts with real keys,
// HTTP and WebSocket clients that wait for what a link receives (with the shared waitFor of
// @crosstalk/core/test-support). Everything started is stopped after each test; a failing test
// prints the relay's logs.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type RelayEvent } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { generateEd25519, tokenSigner, type Ed25519PrivateJwk, type TokenSigner } from '@crosstalk/core/token';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import { readAdminKey } from '../datadir/datadir.js';
import type { RelayOptions } from '../options.js';
import { startRelay, type RunningRelay } from '../relay.js';
import { tempDir } from './temp.js';

export interface ApiAnswer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface TestHost {
  name: string;
  signer: TokenSigner;
  privateJwk: Ed25519PrivateJwk;
}

export class TestRelay {
  admin!: TokenSigner;

  constructor(
    readonly relay: RunningRelay,
    readonly dataDir: string,
    readonly logs: string[],
  ) {}

  get url(): string {
    return this.relay.url;
  }

  /**
   * `auth`: a signer (a fresh token is minted), a raw Authorization value, or null for none. The
   * request states the current protocol version unless `headers` says otherwise.
   */
  async request(auth: TokenSigner | string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const h: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), ...headers };
    if (typeof auth === 'string') h.authorization = auth;
    else if (auth) h.authorization = `Bearer ${await auth.mint()}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }

  async enroll(name: string): Promise<TestHost> {
    const invite = await this.request(this.admin, 'POST', '/v1/invites', { host: name });
    if (invite.status !== 201) throw new Error(`invite failed: ${invite.text}`);
    const { privateJwk, publicJwk } = await generateEd25519();
    const res = await this.request(null, 'POST', '/v1/enroll', { invite: invite.body.invite, host: name, publicKey: publicJwk });
    if (res.status !== 201) throw new Error(`enroll failed: ${res.text}`);
    return { name, privateJwk, signer: await tokenSigner(privateJwk, name, this.relay.relayId) };
  }

  async join(host: TestHost, session: string): Promise<void> {
    const res = await this.request(host.signer, 'POST', '/v1/sessions', { name: session, kind: 'other', wake: { type: 'none' } });
    if (res.status !== 201) throw new Error(`join failed: ${res.text}`);
  }

  /** Opens a conversation; returns its id. */
  async open(host: TestHost, as: string, withSessions: string[], body = 'hello', extra: Record<string, unknown> = {}): Promise<string> {
    const res = await this.request(host.signer, 'POST', '/v1/conversations', {
      as,
      topic: 'a test topic',
      with: withSessions,
      body,
      idempotencyKey: randomBytes(8).toString('hex'),
      ...extra,
    });
    if (res.status !== 201) throw new Error(`open failed: ${res.text}`);
    return res.body.conversation.id as string;
  }

  link(signer: TokenSigner, options: LinkOptions = {}): Promise<TestLink> {
    return TestLink.connect(this.url, signer, options);
  }
}

export interface LinkOptions {
  origin?: string;
  /** Send this hello (default: agent, no epoch, cursor 0); null sends none. */
  hello?: Record<string, unknown> | string | null;
  autoPong?: boolean;
  maxPayload?: number;
}

export class TestLink {
  readonly messages: any[] = [];
  readonly events: RelayEvent[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private closeInfo: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      this.messages.push(msg);
      if (msg.t === 'events') this.events.push(...msg.events);
    });
    ws.on('error', () => {});
  }

  static async connect(url: string, signer: TokenSigner, options: LinkOptions = {}): Promise<TestLink> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/link`, {
      headers: { authorization: `Bearer ${await signer.mint()}` },
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      autoPong: options.autoPong ?? true,
      maxPayload: options.maxPayload ?? 1024 * 1024,
    });
    const link = new TestLink(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          reject(
            Object.assign(new Error(`upgrade refused with ${res.statusCode}: ${text}`), { status: res.statusCode, body: text ? JSON.parse(text) : undefined }),
          ),
        );
      });
      ws.once('error', reject);
    });
    const hello = options.hello === undefined ? { t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: null, cursor: 0 } : options.hello;
    if (hello !== null) link.send(hello);
    return link;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  get closeCode(): number | null {
    return this.closeInfo?.code ?? null;
  }

  welcome(): Promise<any> {
    return waitFor('a welcome', () => this.messages.find((m) => m.t === 'welcome'));
  }

  waitForMessage(pred: (m: any) => boolean, what: string, timeoutMs?: number): Promise<any> {
    return waitFor(what, () => this.messages.find(pred), { timeoutMs });
  }

  /** Waits until the link has received events up to `seq`. */
  waitForSeq(seq: number, timeoutMs?: number): Promise<void> {
    return waitFor(`events up to seq ${seq}`, () => this.events.length > 0 && (this.events[this.events.length - 1]?.seq ?? 0) >= seq, { timeoutMs }).then(
      () => {},
    );
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

class LogSink extends Writable {
  constructor(private readonly lines: string[]) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString().trimEnd());
    done();
  }
}

/**
 * Starts relays for one test file and stops them (and removes their dirs and links) after each
 * test; a failing test prints the logs.
 */
export function relays() {
  const started: TestRelay[] = [];
  const dirs: string[] = [];
  const links: TestLink[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      for (const r of started) process.stderr.write(`--- relay log (${r.url}) ---\n${r.logs.join('\n')}\n`);
    }
    for (const l of links.splice(0)) l.close();
    await Promise.all(started.splice(0).map((r) => r.relay.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    async start(options: Partial<RelayOptions> & { dataDir?: string } = {}): Promise<TestRelay> {
      let dataDir = options.dataDir;
      if (!dataDir) {
        const dir = await tempDir();
        dirs.push(dir);
        dataDir = join(dir, 'relay');
      }
      const logs: string[] = [];
      const relay = await startRelay({ port: 0, logLevel: 'debug', rateLimit: false, logDestination: new LogSink(logs), ...options, dataDir });
      const r = new TestRelay(relay, dataDir, logs);
      r.admin = await tokenSigner(await readAdminKey(dataDir), 'admin', relay.relayId);
      started.push(r);
      return r;
    },
    /** Stops one relay early (e.g. to restart it on the same data dir). */
    async stop(r: TestRelay): Promise<void> {
      const i = started.indexOf(r);
      if (i >= 0) started.splice(i, 1);
      await r.relay.close();
    },
    async dir(): Promise<string> {
      const dir = await tempDir();
      dirs.push(dir);
      return dir;
    },
    track(link: TestLink): TestLink {
      links.push(link);
      return link;
    },
    async link(r: TestRelay, signer: TokenSigner, options?: LinkOptions): Promise<TestLink> {
      const l = await r.link(signer, options);
      links.push(l);
      return l;
    },
  };
}
