// One WebSocket link: the hello, then a single send loop that reads the log after the link's
// cursor and follows live appends (so the switch from replay to live has no gap and no
// duplicate), and the few messages an agent may send.
import { checkProtocol, CLOSE, ClientMessageSchema, CrosstalkError, parseJson, peerMaySend, protocolRefusal, type ClientMessage } from '@crosstalk/core';
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import type { Principal } from '../auth/verify.js';
import { fromZod } from '../http/errors.js';
import type { RateLimiter } from '../limits/token-bucket.js';
import type { Services } from '../services.js';
import { handleAgentMessage } from './agent-messages.js';
import { handleLinkPost, type PostMemory } from './posts.js';
import { framePause, type LinkTimings } from './pacing.js';

export type Role = 'agent' | 'watch';

/** Bytes of a received message, however ws handed it over. */
function frameBytes(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, b) => sum + b.length, 0);
  return data.byteLength;
}

/** What a link needs from the hub that holds it. */
export interface LinkHub {
  readonly services: Services;
  readonly wsLimiter: RateLimiter;
  readonly timings: LinkTimings;
  /** Answers to recent link posts, so a post sent again is answered, not made again. */
  readonly postMemory: PostMemory;
  /** A ready `events` frame with the durable events after `after` as a peer of `protocol` sees them, or null when there are none. */
  frameAfter(after: number, protocol: number): Promise<{ data: Buffer; last: number } | null>;
  /** The pause between frames of a link that follows the head, in ms. */
  frameIntervalMs(): number;
  /** Registers the link in its role, or says why it cannot have it. */
  admit(link: PeerLink, role: Role): CrosstalkError | null;
  release(link: PeerLink): void;
}

export class PeerLink {
  role: Role | null = null;
  /** The protocol version the peer stated in its hello, which the link speaks. */
  protocol = 0;
  /** Answered the last ping. */
  alive = true;
  private cursor = 0;
  private rewind: number | null = null;
  /** When the last frame that reached the head went out (performance.now()). */
  private lastLiveSendAt = -Infinity;
  private closed = false;
  /** Set while the send loop waits for a commit or a drained socket; calling it lets the loop go on. */
  private resume: (() => void) | null = null;
  private readonly helloTimer: NodeJS.Timeout;
  private killTimer: NodeJS.Timeout | null = null;
  /** Set while the frames sent in this tick wait in the corked socket. */
  private corked = false;
  private readonly uncork = () => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(
    readonly ws: WebSocket,
    /** The connection under `ws`, corked while a tick's frames are sent. */
    private readonly socket: Duplex,
    readonly principal: Principal,
    private readonly hub: LinkHub,
  ) {
    this.helloTimer = setTimeout(() => this.close(CLOSE.badHello, 'no hello in time'), hub.timings.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('error', (err) => hub.services.logger.debug({ err, who: this.who }, 'link error'));
    ws.on('close', () => this.onClosed());
  }

  /** Host name, or `admin`. */
  get who(): string {
    return this.principal.kind === 'admin' ? 'admin' : this.principal.host;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes with a code; a peer that does not finish the closing handshake is cut off. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.markClosed();
    try {
      this.ws.close(code, reason);
    } catch (err) {
      // ws refuses a close reason over 123 bytes; the link goes all the same.
      this.hub.services.logger.warn({ err, who: this.who, code }, 'could not close the link cleanly; cut it off');
      this.ws.terminate();
    }
    this.killTimer = setTimeout(() => this.ws.terminate(), 2_000);
    this.killTimer.unref();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.helloTimer);
    this.hub.release(this);
    this.resumeSending();
  }

  private onClosed(): void {
    this.markClosed();
    if (this.killTimer) clearTimeout(this.killTimer);
  }

  private resumeSending(): void {
    const go = this.resume;
    this.resume = null;
    go?.();
  }

  /**
   * Sends one frame. The frames of one tick (the answers to the posts one fsync made durable,
   * the events frame after them) leave in one socket write, not one write each: the socket is
   * corked at the tick's first frame and uncorked once the tick's work is done. Frames unchanged.
   */
  send(data: string | Buffer, sent?: (err?: Error) => void): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    // Text frames all, also when handed over as bytes.
    this.ws.send(data, { binary: false }, sent);
  }

  /** An answer to the peer, unless the link is gone (the agent sends the post again). */
  private sendAnswer(frame: string): void {
    if (this.closed) return;
    this.send(frame);
  }

  private sendError(error: CrosstalkError): void {
    if (this.closed) return;
    this.send(JSON.stringify({ t: 'error', code: error.code, message: error.message, hint: error.hint }));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    try {
      if (isBinary) return this.close(CLOSE.badMessage, 'binary frames are not part of the protocol');
      const value = parseJson(data.toString());
      // Posts are counted as requests (ws/posts.ts), everything else as frames.
      const post = this.role !== null && typeof value === 'object' && value !== null && (value as { t?: unknown }).t === 'post';
      if (!post && !this.hub.wsLimiter.take(this.who)) return this.close(CLOSE.badMessage, 'too many messages');
      if (value === undefined) return this.close(this.role === null ? CLOSE.badHello : CLOSE.badMessage, 'the frame is not JSON');
      const parsed = ClientMessageSchema.safeParse(value);
      if (this.role === null) {
        if (!parsed.success || parsed.data.t !== 'hello') return this.close(CLOSE.badHello, 'the first message must be a valid hello');
        return this.onHello(parsed.data);
      }
      if (!parsed.success) return this.sendError(fromZod(parsed.error, 'message'));
      this.onAfterHello(parsed.data, frameBytes(data));
    } catch (err) {
      if (err instanceof CrosstalkError) return this.sendError(err);
      this.hub.services.logger.error({ err, who: this.who }, 'unexpected error handling a link message');
      this.sendError(new CrosstalkError('INTERNAL'));
    }
  }

  private onHello(hello: Extract<ClientMessage, { t: 'hello' }>): void {
    clearTimeout(this.helloTimer);
    if (!checkProtocol(hello.protocol).ok) {
      this.sendError(protocolRefusal(hello.protocol, this.hub.services.version));
      return this.close(CLOSE.badHello, 'protocol version not served');
    }
    this.protocol = hello.protocol;
    const refused = this.hub.admit(this, hello.role);
    if (refused) {
      this.sendError(refused);
      return this.close(CLOSE.badHello, refused.message.slice(0, 100));
    }
    this.role = hello.role;
    const { services } = this.hub;
    const head = services.ledger.events.durableSeq;
    // A changed epoch, or a cursor beyond anything this log holds, means the client's copy
    // comes from another log: it starts over from the beginning.
    const resync = (hello.epoch !== null && hello.epoch !== services.epoch) || hello.cursor > head;
    this.cursor = resync ? 0 : hello.cursor;
    this.send(JSON.stringify({ t: 'welcome', protocol: this.protocol, relayId: services.relayId, epoch: services.epoch, head, resync }));
    void this.sendLoop().catch((err: unknown) => {
      services.logger.error({ err, who: this.who }, 'link send loop failed');
      this.close(CLOSE.goingAway, 'the relay could not read its log');
    });
  }

  private onAfterHello(msg: ClientMessage, bytes: number): void {
    const { services } = this.hub;
    if (!peerMaySend(msg.t, this.protocol))
      throw new CrosstalkError('INVALID_REQUEST', `a "${msg.t}" message is not part of protocol ${this.protocol}, which this link speaks`);
    const log = services.ledger.events;
    switch (msg.t) {
      case 'hello':
        throw new CrosstalkError('INVALID_REQUEST', 'hello was already sent on this link');
      case 'replay':
        if (msg.after > log.durableSeq) throw new CrosstalkError('INVALID_REQUEST', `replay after ${msg.after} is beyond the head ${log.durableSeq}`);
        this.rewind = Math.min(this.rewind ?? Number.MAX_SAFE_INTEGER, msg.after);
        this.resumeSending();
        return;
      default:
        break;
    }
    if (this.role !== 'agent' || this.principal.kind !== 'host') throw new CrosstalkError('INVALID_REQUEST', `a ${this.role} link is read-only`);
    if (msg.t === 'post') return handleLinkPost(services, this.hub.postMemory, this.principal, msg, bytes, (frame) => this.sendAnswer(frame));
    handleAgentMessage(services, this.principal.host, msg);
  }

  private waitForWork(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.resume = resolve;
      void this.hub.services.ledger.events.nextChange().then(resolve);
    });
  }

  /** Waits `ms`, or less if the link is closed or asked to replay. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.resume = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async sendLoop(): Promise<void> {
    const log = this.hub.services.ledger.events;
    while (!this.closed) {
      if (this.rewind !== null) {
        this.cursor = Math.min(this.cursor, this.rewind);
        this.rewind = null;
      }
      if (log.isClosed) return;
      if (this.cursor >= log.durableSeq) {
        await this.waitForWork();
        continue;
      }
      const pause = framePause(this.lastLiveSendAt, performance.now(), this.hub.frameIntervalMs());
      if (pause > 0) {
        await this.sleep(pause);
        continue;
      }
      const frame = await this.hub.frameAfter(this.cursor, this.protocol);
      if (this.closed) return;
      if (!frame || this.rewind !== null) continue;
      this.cursor = frame.last;
      if (frame.last >= log.durableSeq) this.lastLiveSendAt = performance.now();
      const flushed = new Promise<Error | undefined>((resolve) => this.send(frame.data, resolve));
      if (this.ws.bufferedAmount > this.hub.timings.highWaterBytes) {
        this.hub.services.logger.debug({ who: this.who, buffered: this.ws.bufferedAmount }, 'link send buffer full; waiting for it to drain');
        await this.drain(flushed);
      }
    }
  }

  /** Waits until the last frame left the process; a peer that stays stuck is closed. */
  private async drain(flushed: Promise<Error | undefined>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), this.hub.timings.stuckMs)));
    const outcome = await Promise.race([flushed, stuck]);
    clearTimeout(timer);
    if (outcome === 'stuck') this.close(CLOSE.tooSlow, 'the link could not keep up');
  }
}
