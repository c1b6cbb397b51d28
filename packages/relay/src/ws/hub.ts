// All WebSocket links of the relay: upgrades, one agent link per host (a newer one replaces the
// older), a few watch links per host, heartbeat, revocation, and the shared frames the send
// loops read (each event is serialized once, when logged, and each frame is built once for
// every link at the same cursor).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE, CrosstalkError, LIMITS, PROTOCOL_VERSION, SERVER_FRAME_SINCE } from '@crosstalk/core';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/verify.js';
import type { RateLimiter } from '../limits/token-bucket.js';
import { isoNow, type Services } from '../services.js';
import { eventsForPeer } from '../versions/for-peer.js';
import { PeerLink, type LinkHub, type Role } from './link.js';
import { PostMemory } from './posts.js';
import { frameInterval, type LinkTimings } from './pacing.js';
import { checkUpgradeRequest, refuseUpgrade } from './upgrade.js';

const MAX_WATCH_LINKS = 8;
const MAX_EVENTS_PER_FRAME = 1000;
/** Counted in UTF-16 units; keeps a batch well under a peer's 256 KiB frame limit. */
const MAX_FRAME_CHARS = 64 * 1024;

export interface HubOptions extends LinkTimings {
  heartbeatMs: number;
  allowedOrigins: readonly string[];
  wsLimiter: RateLimiter;
}

export class Hub implements LinkHub {
  readonly timings: LinkTimings;
  readonly wsLimiter: RateLimiter;
  readonly postMemory = new PostMemory();
  private readonly wss: WebSocketServer;
  private readonly links = new Set<PeerLink>();
  private readonly agents = new Map<string, PeerLink>();
  private readonly watchers = new Map<string, Set<PeerLink>>();
  private readonly origins: ReadonlySet<string>;
  private readonly heartbeat: NodeJS.Timeout;
  /** Timers that close links signed by a rotated-out key when its overlap ends. */
  private readonly retirements = new Set<NodeJS.Timeout>();
  /** The last frame built, per protocol version of the links that read it. */
  private readonly lastFrames = new Map<number, { after: number; last: number; data: Buffer }>();

  constructor(
    readonly services: Services,
    options: HubOptions,
  ) {
    this.timings = {
      helloTimeoutMs: options.helloTimeoutMs,
      stuckMs: options.stuckMs,
      highWaterBytes: options.highWaterBytes,
      frameBudgetPerSecond: options.frameBudgetPerSecond,
    };
    this.wsLimiter = options.wsLimiter;
    this.origins = new Set(options.allowedOrigins);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.wsMaxPayload, clientTracking: false, perMessageDeflate: false });
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
    services.ledger.onCommit((event) => {
      if (event.type === 'host.revoked') {
        this.closeHost(event.host, CLOSE.revoked, 'host revoked');
        services.activity.forget(event.host);
      } else if (event.type === 'host.key-rotated') {
        this.retireKey(event.previousKey.x, Date.parse(event.previousUntil));
      } else if (event.type === 'admin.key-rotated') {
        this.retireKey(event.previousKey.x, Date.parse(event.previousUntil));
      }
    });
    services.peeks.attach((host, frame) => {
      const link = this.agents.get(host);
      if (!link || link.isClosed || link.protocol < SERVER_FRAME_SINCE.peek) return false;
      link.send(JSON.stringify(frame));
      return true;
    });
    // Overlaps that a restart interrupted.
    for (const host of services.ledger.state.hosts.values()) {
      if (host.previousKey) this.retireKey(host.previousKey.publicKey.x, Date.parse(host.previousKey.until));
    }
    const admin = services.keys.adminKeys.previous;
    if (admin) this.retireKey(admin.publicKey.x, admin.until);
  }

  get size(): number {
    return this.links.size;
  }

  frameIntervalMs(): number {
    return frameInterval(this.links.size, this.timings.frameBudgetPerSecond);
  }

  /** The HTTP server's `upgrade` handler. Everything is checked before the handshake. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', (err) => this.services.logger.debug({ err }, 'socket error during upgrade'));
    let principal: Principal;
    try {
      if (this.services.isShuttingDown()) throw new CrosstalkError('SHUTTING_DOWN');
      checkUpgradeRequest(req, this.origins);
      principal = await this.services.verify(req.headers.authorization);
      const who = principal.kind === 'admin' ? 'admin' : principal.host;
      if (!this.services.httpLimiter.take(who)) throw new CrosstalkError('RATE_LIMITED');
    } catch (err) {
      const error = err instanceof CrosstalkError ? err : new CrosstalkError('INTERNAL');
      if (!(err instanceof CrosstalkError)) this.services.logger.error({ err }, 'unexpected error during upgrade');
      this.services.logger.debug({ code: error.code }, 'upgrade refused');
      refuseUpgrade(socket, error);
      return;
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const link = new PeerLink(ws, socket, principal, this);
      this.links.add(link);
      const who = link.who;
      this.services.logger.debug({ who, links: this.links.size }, 'link opened');
      ws.once('close', (code) => this.services.logger.debug({ who, code, links: this.links.size }, 'link closed'));
      if (link.isClosed || this.services.isShuttingDown()) link.close(CLOSE.goingAway, 'relay shutting down');
    });
  }

  admit(link: PeerLink, role: Role): CrosstalkError | null {
    const who = link.who;
    if (role === 'agent') {
      if (link.principal.kind !== 'host') return new CrosstalkError('INVALID_REQUEST', 'the admin key can open watch links only');
      const previous = this.agents.get(who);
      this.agents.set(who, link);
      previous?.close(CLOSE.replaced, 'replaced by a newer agent link');
      this.services.activity.setConnected(who, true);
      this.services.activity.seen(who, isoNow(this.services));
      return null;
    }
    let set = this.watchers.get(who);
    if (!set) this.watchers.set(who, (set = new Set()));
    if (set.size >= MAX_WATCH_LINKS) return new CrosstalkError('RATE_LIMITED', `at most ${MAX_WATCH_LINKS} watch links per host`);
    set.add(link);
    return null;
  }

  release(link: PeerLink): void {
    this.links.delete(link);
    const who = link.who;
    if (this.agents.get(who) === link) {
      this.agents.delete(who);
      this.services.activity.setConnected(who, false);
    }
    const set = this.watchers.get(who);
    if (set?.delete(link) && set.size === 0) this.watchers.delete(who);
  }

  async frameAfter(after: number, protocol: number = PROTOCOL_VERSION): Promise<{ data: Buffer; last: number } | null> {
    const cached = this.lastFrames.get(protocol);
    if (cached && cached.after === after) return cached;
    const read = await this.services.ledger.events.read(after, MAX_EVENTS_PER_FRAME, MAX_FRAME_CHARS);
    if (read.length === 0) return null;
    const events = eventsForPeer(read, protocol);
    const frame = { after, last: after + events.length, data: Buffer.from(`{"t":"events","events":[${events.join(',')}]}`, 'utf8') };
    this.lastFrames.set(protocol, frame);
    return frame;
  }

  /**
   * At the end of a key's overlap, closes the links it signed (4007: reconnect with a fresh
   * token, which only the new key can sign now).
   */
  private retireKey(x: string, until: number): void {
    const timer = setTimeout(
      () => {
        this.retirements.delete(timer);
        for (const link of [...this.links]) if (link.principal.key === x) link.close(CLOSE.tokenExpired, 'signed with a key that was rotated out');
      },
      Math.max(0, until - this.services.now()),
    );
    timer.unref();
    this.retirements.add(timer);
  }

  /** Closes every link of a host (agent and watch). */
  closeHost(host: string, code: number, reason: string): void {
    for (const link of [...this.links]) if (link.who === host) link.close(code, reason);
  }

  private beat(): void {
    for (const link of this.links) {
      if (link.isClosed) continue;
      if (!link.alive) {
        link.close(CLOSE.dead, 'no answer to ping');
        continue;
      }
      link.alive = false;
      try {
        link.ws.ping();
      } catch (err) {
        // The heartbeat runs for every link: one that cannot be pinged is closed, never the timer stopped.
        this.services.logger.warn({ err, who: link.who }, 'ping failed');
        link.close(CLOSE.dead, 'ping failed');
      }
    }
  }

  /** Closes every link (1001) and waits, briefly, for them to go. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const timer of this.retirements) clearTimeout(timer);
    const sockets = [...this.links].map((l) => l.ws);
    for (const link of [...this.links]) link.close(CLOSE.goingAway, 'relay shutting down');
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 2_000);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    this.wss.close();
  }
}
