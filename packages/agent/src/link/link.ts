// The agent's one WebSocket to the relay: a fresh token per connection, hello with epoch and
// cursor, every incoming message validated, a dead relay detected by silence, and reconnects with
// capped, jittered backoff for as long as the agent runs. Revoked (4001) and replaced (4002) end it.
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { CLOSE, HEARTBEAT_MS, LIMITS, PROTOCOL_VERSION, WS_PATH, type ClientMessage, type CrosstalkError, type ServerMessage } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import { displayUrl, unreachable } from '@crosstalk/client';
import { Backoff } from './backoff.js';
import { countKeyRefusals, describeSocketError, fatalClose } from './endings.js';
import { parseServerMessage, readRefusal } from './frames.js';

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

/** What one connection attempt learned before it closed. */
interface Attempt {
  /** The relay's answer when it refused the upgrade. */
  refusal: CrosstalkError | null;
  socketError: Error | null;
}

function linkUrl(relayUrl: string): string {
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
  /** The connection's socket, held corked while this turn of the event loop sends frames. */
  private socket: Socket | null = null;
  private corked = false;

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
    return this.sendText(JSON.stringify(message));
  }

  /**
   * Sends a message already serialized (it must be a ClientMessage's JSON); whether it was sent.
   * Frames sent in one turn of the event loop (posts from many local clients at once) leave in
   * one socket write: the socket stays corked until the loop has run its pending I/O.
   */
  sendText(text: string): boolean {
    if (!this.open || !this.ws) return false;
    if (!this.corked && this.socket) {
      const socket = this.socket;
      this.corked = true;
      socket.cork();
      setImmediate(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    this.ws.send(text);
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
    const token = await this.mintToken();
    if (token === null || this.stopped) return;
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
    const attempt: Attempt = { refusal: null, socketError: null };

    ws.on('unexpected-response', (_req, res) => {
      void readRefusal(res).then((err) => {
        attempt.refusal = err;
        ws.terminate();
      });
    });
    ws.on('upgrade', (res) => {
      this.socket = res.socket;
    });
    ws.on('open', () => this.sendHello(ws, url));
    ws.on('ping', () => this.armDeadTimer(ws));
    ws.on('message', (data, isBinary) => this.receive(ws, data, isBinary));
    ws.on('error', (err) => {
      attempt.socketError = err;
    });
    ws.on('close', (code, reasonBuf) => {
      resolveClosed();
      this.closedWith(ws, code, reasonBuf.toString('utf8').slice(0, 200), attempt);
    });
  }

  /** A fresh token, or null (and a retry scheduled) when the key cannot sign. */
  private async mintToken(): Promise<string | null> {
    try {
      return await this.options.signer.mint();
    } catch (err) {
      // A key that cannot sign now is retried like a relay that cannot be reached.
      this.options.log.error({ err: String(err) }, 'could not sign a token');
      this.scheduleRetry();
      return null;
    }
  }

  private sendHello(ws: WebSocket, url: string): void {
    this.armDeadTimer(ws);
    const { epoch, cursor } = this.options.hello();
    ws.send(JSON.stringify({ t: 'hello', protocol: PROTOCOL_VERSION, role: this.options.role, epoch, cursor } satisfies ClientMessage));
    this.options.log.debug({ url: displayUrl(url), epoch, cursor }, 'link open, hello sent');
  }

  private receive(ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
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
  }

  /** The connection is gone: stop for good, or report it and reconnect. */
  private closedWith(ws: WebSocket, code: number, reason: string, attempt: Attempt): void {
    this.clearDeadTimer();
    this.welcomed = false;
    if (this.ws === ws) {
      this.ws = null;
      this.socket = null;
    }
    const { refusal, socketError } = attempt;
    // A key the relay does not know or cannot verify will not start working by itself.
    this.keyRefusals = countKeyRefusals(this.keyRefusals, refusal);
    const fatal = fatalClose(code, reason, refusal, this.keyRefusals);
    if (fatal) {
      this.stopped = true;
      this.options.handlers.onDisconnect?.({ code, reason, error: fatal });
      this.options.handlers.onFatal(fatal);
      return;
    }
    const error = refusal ?? (socketError && code === 1006 ? unreachable(this.options.relayUrl, describeSocketError(socketError)) : null);
    this.options.handlers.onDisconnect?.({ code, reason, error });
    if (code === CLOSE.tokenExpired) this.backoff.reset();
    this.scheduleRetry();
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
    this.deadTimer = setTimeout(
      () => {
        this.options.log.warn({ silentMs: this.heartbeatMs * 2 }, 'relay silent for two heartbeats; dropping the link');
        ws.terminate();
      },
      this.heartbeatMs * 2 + Math.min(5000, this.heartbeatMs / 2),
    );
  }

  private clearDeadTimer(): void {
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.deadTimer = null;
  }
}
