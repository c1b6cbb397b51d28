// A client of protocol version 2, the version before the current one, as an agent and a CLI of
// that release speak it: HTTP requests without the protocol header; a link whose hello says 2,
// which refuses a welcome with fields it does not know and any event of a kind version 2 did not
// have (its schemas were strict), and which applies events in seq order, a hole being a failure
// (it would ask for a replay for ever). The shapes of the kinds version 2 had are unchanged since,
// so the current schema checks each of them.
import { applyEvent, emptyState, RelayEventSchema, type RelayEvent, type RelayState } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import type { TokenSigner } from '@crosstalk/core/token';
import { WebSocket } from 'ws';

/** Every event kind of protocol 2, frozen here as that release knew them. */
export const V2_EVENT_KINDS: ReadonlySet<string> = new Set([
  'conversation.opened',
  'turn.posted',
  'conversation.moderated',
  'conversation.closed',
  'session.registered',
  'session.unregistered',
  'host.enrolled',
  'host.revoked',
  'invite.created',
  'receipt',
]);

const V2_WELCOME_KEYS = ['epoch', 'head', 'protocol', 'relayId', 'resync', 't'];

/** An HTTP request as a version-2 CLI sends it: no protocol header. */
export async function v2Request(url: string, signer: TokenSigner | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (signer) headers.authorization = `Bearer ${await signer.mint()}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** What a version-2 agent would have refused or could not have applied, in the order met. */
export type V2Failure = string;

export class V2Agent {
  readonly state: RelayState = emptyState();
  readonly received: RelayEvent[] = [];
  readonly failures: V2Failure[] = [];
  readonly errors: Array<{ code: string; message: string }> = [];
  welcome: Record<string, unknown> | null = null;
  closeCode: number | null = null;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.onMessage(JSON.parse(data.toString()) as Record<string, unknown>));
    ws.on('close', (code) => (this.closeCode = code));
    ws.on('error', () => {});
  }

  /** Connects and says hello with `protocol` (2 unless a test plays an older one). */
  static async connect(url: string, signer: TokenSigner, options: { protocol?: number; cursor?: number } = {}): Promise<V2Agent> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/link`, { headers: { authorization: `Bearer ${await signer.mint()}` } });
    const agent = new V2Agent(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ t: 'hello', protocol: options.protocol ?? 2, role: 'agent', epoch: null, cursor: options.cursor ?? 0 }));
    return agent;
  }

  private onMessage(msg: Record<string, unknown>): void {
    if (msg.t === 'welcome') {
      const keys = Object.keys(msg).sort();
      if (JSON.stringify(keys) !== JSON.stringify(V2_WELCOME_KEYS)) this.failures.push(`welcome with fields ${keys.join(',')}`);
      if (msg.protocol !== 2) this.failures.push(`welcome speaks protocol ${String(msg.protocol)}`);
      this.welcome = msg;
    } else if (msg.t === 'error') {
      this.errors.push({ code: String(msg.code), message: String(msg.message) });
    } else if (msg.t === 'events') {
      this.onEvents(msg.events as unknown[]);
    } else {
      this.failures.push(`a frame of kind ${String(msg.t)}`);
    }
  }

  private onEvents(events: unknown[]): void {
    for (const raw of events) {
      const kind = (raw as { type?: unknown }).type;
      if (typeof kind !== 'string' || !V2_EVENT_KINDS.has(kind)) {
        this.failures.push(`an event of kind ${String(kind)}`);
        continue;
      }
      const parsed = RelayEventSchema.safeParse(raw);
      if (!parsed.success) {
        this.failures.push(`an event of kind ${kind} it cannot read`);
        continue;
      }
      const event = parsed.data;
      if (event.seq <= this.state.seq) continue;
      if (event.seq !== this.state.seq + 1) this.failures.push(`a hole: event ${event.seq} after ${this.state.seq}`);
      applyEvent(this.state, event);
      this.received.push(event);
    }
    this.ws.send(JSON.stringify({ t: 'ack', seq: this.state.seq }));
  }

  /** Waits until the agent has applied everything up to `seq`. */
  caughtUp(seq: number): Promise<void> {
    return waitFor(`the version-2 agent to reach seq ${seq}`, () => this.state.seq >= seq).then(() => undefined);
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.ws.terminate();
  }
}
