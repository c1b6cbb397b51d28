// The agent's one WebSocket to the relay: a fresh token per connection, hello with epoch and
// cursor, every incoming message validated, a dead relay detected by silence, and reconnects with
// capped, jittered backoff for as long as the agent runs. Revoked (4001) and replaced (4002) end it.
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import {
  CLOSE,
  CrosstalkError,
  HEARTBEAT_MS,
  LIMITS,
  PROTOCOL_VERSION,
  ServerMessageSchema,
  WS_PATH,
  type ClientMessage,
  type ServerMessage,
} from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import { displayUrl, unreachable } from '../client/http.js';
import { Backoff } from './backoff.js';

export interface LinkLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LinkHandlers {
  /** A validated message from the relay, in arrival order. */
  onMessage(message: ServerMessage): void;
  /** The connection is gone; a reconnect is scheduled unless the link was stopped. */
  onDisconnect?(info: { code: number | null; reason: string; error: CrosstalkError | null }): void;
  /** The link stopped for good (revoked, replaced, or refused as revoked). */
  onFatal(error: CrosstalkError): void;
}

export interface LinkOptions {
  relayUrl: string;
  signer: TokenSigner;
  role: 'agent' | 'watch';
  /** Epoch and cursor for the hello, asked at every connect. */
  hello(): { epoch: string | null; cursor: number };
  handlers: LinkHandlers;
  log: LinkLogger;
  /** The relay's ping interval; silence for about two of them means the relay is dead. */
  heartbeatMs?: number;
  backoff?: { baseMs: number; capMs: number };
  /** Largest frame accepted from the relay. */
  maxPayload?: number;
  handshakeTimeoutMs?: number;
}

/** The relay promises frames of at most 256 KiB; a little headroom keeps a hostile body that JSON escapes heavily from wedging the link. */
const DEFAULT_MAX_PAYLOAD = LIMITS.wsMaxPayload * 4;
const MAX_REFUSAL_BYTES = 64 * 1024;

export function linkUrl(relayUrl: string): string {
  const u = new URL(relayUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${WS_PATH}`;
  return u.href;
}

export class RelayLink {
  private ws: WebSocket | null = null;
  private stopped = false;
  private welcomed = false;
  /** Consecutive refusals of this host's key; a few in a row stop the link for good. */
  private keyRefusals = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private deadTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private readonly heartbeatMs: number;
  private closed: Promise<void> = Promise.resolve();

  constructor(private readonly options: LinkOptions) {
    this.backoff = new Backoff(options.backoff ?? { baseMs: 250, capMs: 30_000 });
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  }

  /** Connected and welcomed by the relay. */
  get open(): boolean {
    return this.welcomed && this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  /** Sends a message if the link is open; returns whether it was sent. */
  send(message: ClientMessage): boolean {
    if (!this.open || !this.ws) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** Closes with 1000 and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      const done = this.closed;
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(CLOSE.normal, 'agent stopping');
      const force = setTimeout(() => ws.terminate(), 2000);
      await done;
      clearTimeout(force);
    }
    this.clearDeadTimer();
  }

  /** Drops the connection now and reconnects (after the usual backoff). */
  reconnect(reason: string): void {
    this.options.log.info({ reason }, 'reconnecting');
    this.ws?.terminate();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let token: string;
    try {
      token = await this.options.signer.mint();
    } catch (err) {
      this.options.log.error({ err: String(err) }, 'could not sign a token');
      this.scheduleRetry();
      return;
    }
    if (this.stopped) return;
    const url = linkUrl(this.options.relayUrl);
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      maxPayload: this.options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
      followRedirects: false,
    });
    this.ws = ws;
    this.welcomed = false;
    let resolveClosed: () => void = () => {};
    this.closed = new Promise((r) => (resolveClosed = r));
    let refusal: CrosstalkError | null = null;
    let socketError: Error | null = null;

    ws.on('unexpected-response', (_req, res) => {
      void readRefusal(res).then((err) => {
        refusal = err;
        ws.terminate();
      });
    });
    ws.on('open', () => {
      this.armDeadTimer(ws);
      const { epoch, cursor } = this.options.hello();
      ws.send(JSON.stringify({ t: 'hello', protocol: PROTOCOL_VERSION, role: this.options.role, epoch, cursor } satisfies ClientMessage));
      this.options.log.debug({ url: displayUrl(url), epoch, cursor }, 'link open, hello sent');
    });
    ws.on('ping', () => this.armDeadTimer(ws));
    ws.on('message', (data, isBinary) => {
      this.armDeadTimer(ws);
      const message = parseServerMessage(data, isBinary);
      if (!message) {
        this.options.log.warn({}, 'ignored a malformed message from the relay');
        return;
      }
      if (message.t === 'welcome') {
        this.welcomed = true;
        this.keyRefusals = 0;
        this.backoff.reset();
      }
      this.options.handlers.onMessage(message);
    });
    ws.on('error', (err) => {
      socketError = err;
    });
    ws.on('close', (code, reasonBuf) => {
      this.clearDeadTimer();
      this.welcomed = false;
      if (this.ws === ws) this.ws = null;
      const reason = reasonBuf.toString('utf8').slice(0, 200);
      resolveClosed();
      // A key the relay does not know or cannot verify will not start working by itself.
      this.keyRefusals = refusal && KEY_REFUSALS.has(refusal.code) ? this.keyRefusals + 1 : 0;
      const fatal = fatalFor(code, reason, refusal) ?? (this.keyRefusals >= MAX_KEY_REFUSALS ? keyRefused(refusal) : null);
      if (fatal) {
        this.stopped = true;
        this.options.handlers.onDisconnect?.({ code, reason, error: fatal });
        this.options.handlers.onFatal(fatal);
        return;
      }
      const error = refusal ?? (socketError && code === 1006 ? unreachable(this.options.relayUrl, describe(socketError)) : null);
      this.options.handlers.onDisconnect?.({ code, reason, error });
      if (code === CLOSE.tokenExpired) this.backoff.reset();
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.options.log.debug({ delayMs: delay }, 'reconnect scheduled');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private armDeadTimer(ws: WebSocket): void {
    this.clearDeadTimer();
    // Two missed heartbeats (plus slack) and the relay is gone, whatever TCP thinks.
    this.deadTimer = setTimeout(() => {
      this.options.log.warn({ silentMs: this.heartbeatMs * 2 }, 'relay silent for two heartbeats; dropping the link');
      ws.terminate();
    }, this.heartbeatMs * 2 + Math.min(5000, this.heartbeatMs / 2));
  }

  private clearDeadTimer(): void {
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.deadTimer = null;
  }
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ?? err.message.slice(0, 120);
}

const KEY_REFUSALS = new Set(['AUTH_INVALID', 'HOST_UNKNOWN']);
const MAX_KEY_REFUSALS = 3;

function keyRefused(refusal: CrosstalkError | null): CrosstalkError {
  return new CrosstalkError(refusal?.code === 'HOST_UNKNOWN' ? 'HOST_UNKNOWN' : 'AUTH_INVALID', `the relay refused this host's key ${MAX_KEY_REFUSALS} times in a row (${refusal?.message ?? 'refused'}); the agent stopped`, {
    hint: 'check the enrollment with `crosstalk doctor`; if the key or the relay\'s data was replaced, enroll again with a new invite',
  });
}

function fatalFor(code: number, reason: string, refusal: CrosstalkError | null): CrosstalkError | null {
  if (code === CLOSE.revoked || refusal?.code === 'HOST_REVOKED') {
    return new CrosstalkError('HOST_REVOKED', `the relay revoked this host${reason ? ` (${reason})` : ''}; the agent stopped`);
  }
  if (code === CLOSE.replaced) {
    return new CrosstalkError('AGENT_REPLACED', 'another agent for this host connected to the relay and replaced this one; the agent stopped', {
      details: { closeCode: code },
    });
  }
  return null;
}

export function parseServerMessage(data: WebSocket.RawData, isBinary: boolean): ServerMessage | null {
  if (isBinary) return null;
  let json: unknown;
  try {
    json = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
  } catch {
    return null;
  }
  const parsed = ServerMessageSchema.safeParse(json);
  return parsed.success ? (parsed.data as ServerMessage) : null;
}

/** The error body the relay sent when it refused the upgrade. */
async function readRefusal(res: IncomingMessage): Promise<CrosstalkError> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), 5000);
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > MAX_REFUSAL_BYTES) {
          clearTimeout(timer);
          res.destroy();
          resolve();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve();
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    return CrosstalkError.fromBody(JSON.parse(Buffer.concat(chunks).toString('utf8')), res.statusCode);
  } catch {
    return CrosstalkError.fromBody(undefined, res.statusCode);
  }
}
