// Sending fuzz cases to a relay: HTTP requests with raw bodies and chosen headers, and WebSocket
// frames on links opened per host. A pacer keeps each identity under the relay's rate limit so
// cases reach the code they aim at instead of the limiter.
import { PROTOCOL_VERSION } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';
import { FRESH_KEY, type Auth, type HttpCase } from './http-cases.js';
import type { WsCase, WsOutcome } from './ws-cases.js';

/** A token bucket on the client side, below the relay's (100/s, burst 400). */
export class Pacer {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly perSecond = 80,
    private readonly burst = 300,
  ) {
    this.tokens = burst;
  }

  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}

export interface Identities {
  hosts: TokenSigner[];
  admin: TokenSigner;
  pacers: Map<string, Pacer>;
}

function pacerFor(ids: Identities, who: string): Pacer {
  let p = ids.pacers.get(who);
  if (!p) ids.pacers.set(who, (p = new Pacer()));
  return p;
}

async function authorization(ids: Identities, auth: Auth): Promise<string | undefined> {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'raw':
      return auth.value;
    case 'admin':
      await pacerFor(ids, 'admin').take();
      return `Bearer ${await ids.admin.mint()}`;
    case 'host':
      await pacerFor(ids, `h${auth.host}`).take();
      return `Bearer ${await (ids.hosts[auth.host] as TokenSigner).mint()}`;
  }
}

export interface HttpAnswer {
  status: number;
  contentType: string | null;
  text: string;
}

function withFreshKey(body: string | Buffer): string | Buffer {
  const key = randomBytes(12).toString('hex');
  if (typeof body === 'string') return body.split(FRESH_KEY).join(key);
  const at = body.indexOf(FRESH_KEY);
  return at < 0 ? body : Buffer.concat([body.subarray(0, at), Buffer.from(key), body.subarray(at + FRESH_KEY.length)]);
}

export async function sendHttp(url: string, ids: Identities, c: HttpCase): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  const body = c.body === null ? null : withFreshKey(c.body);
  const auth = await authorization(ids, c.auth);
  if (auth !== undefined) headers.authorization = auth;
  if (c.contentType !== null) headers['content-type'] = c.contentType;
  const res = await fetch(`${url}${c.path}`, {
    method: c.method,
    headers,
    body: body === null ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

export type WsResult = { outcome: WsOutcome; error?: Record<string, unknown>; closeCode?: number; resync?: boolean } | { outcome: 'none'; detail: string };

/** One open link, with what arrived on it. */
class FuzzLink {
  readonly inbox: any[] = [];
  closeCode: number | null = null;
  private waiter: (() => void) | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let msg: any;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        msg = { t: 'unparsable', raw: data.toString().slice(0, 200) };
      }
      if (msg.t === 'events') return;
      this.inbox.push(msg);
      this.waiter?.();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.waiter?.();
    });
    ws.on('error', () => {});
  }

  /** The next message (not `events`) or the close, whichever comes first. */
  async next(timeoutMs: number): Promise<any | { closed: number } | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.inbox.length > 0) return this.inbox.shift();
      if (this.closeCode !== null) return { closed: this.closeCode };
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN && this.closeCode === null;
  }
}

export class WsSender {
  private readonly links = new Map<string, FuzzLink>();

  constructor(
    private readonly url: string,
    private readonly ids: Identities,
    private readonly hello: () => { epoch: string; cursor: number },
  ) {}

  private async connect(host: number): Promise<FuzzLink> {
    const auth = await authorization(this.ids, { kind: 'host', host });
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/v1/link`, { headers: { authorization: auth ?? '' }, maxPayload: 64 * 1024 * 1024 });
    const link = new FuzzLink(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return link;
  }

  /** A link that said hello in `role` and was welcomed, reused while it stays open. */
  private async ready(host: number, role: 'agent' | 'watch'): Promise<FuzzLink> {
    const key = `${host}:${role}`;
    const known = this.links.get(key);
    if (known?.open) return known;
    const link = await this.connect(host);
    await pacerFor(this.ids, `h${host}`).take();
    link.ws.send(JSON.stringify({ t: 'hello', protocol: PROTOCOL_VERSION, role, ...this.hello() }));
    const welcome = await link.next(10_000);
    if (welcome?.t !== 'welcome') throw new Error(`no welcome for h${host} (${role}): ${JSON.stringify(welcome)}`);
    this.links.set(key, link);
    return link;
  }

  async send(c: WsCase): Promise<WsResult> {
    if (c.phase === 'first') {
      // A first frame that is a usable hello opens the host's agent link and replaces the kept one.
      this.links.get(`${c.host}:agent`)?.ws.terminate();
      this.links.delete(`${c.host}:agent`);
    }
    const link = c.phase === 'first' ? await this.connect(c.host) : await this.ready(c.host, c.phase);
    await pacerFor(this.ids, `h${c.host}`).take();
    link.ws.send(c.data, { binary: c.binary });
    const reply = await link.next(10_000);
    if (c.phase === 'first') link.ws.terminate();
    if (reply === null) return { outcome: 'none', detail: 'no answer within 10 s' };
    if ('closed' in reply) return { outcome: 'close', closeCode: reply.closed };
    if (reply.t === 'error') {
      const { t: _t, ...error } = reply;
      return { outcome: 'error', error };
    }
    if (reply.t === 'welcome') return { outcome: 'resync', resync: reply.resync === true };
    return { outcome: 'none', detail: `unexpected message ${JSON.stringify(reply).slice(0, 200)}` };
  }

  close(): void {
    for (const l of this.links.values()) l.ws.terminate();
    this.links.clear();
  }
}
