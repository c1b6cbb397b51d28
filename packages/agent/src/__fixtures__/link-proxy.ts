// Test support: a WebSocket proxy between an agent and the real relay that can drop, hold back
// or cut frames on cue, to reproduce what a flaky network does to the link.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';

/** Pass the frame on, drop it, cut the connection, or send other text in its place. */
export type FrameVerdict = 'pass' | 'drop' | 'cut' | { replace: string };

export interface ProxyRules {
  /** Decides the fate of each relay → agent frame; `n` counts frames on this connection from 1. */
  fromRelay?(frame: string, n: number, connection: number): FrameVerdict;
  /** While true for a connection, nothing from the relay reaches the agent, not even pings. */
  silent?(connection: number): boolean;
}

export class LinkProxy {
  /** Every agent → relay message, in order, with the connection it came on (1-based). */
  readonly fromAgent: Array<{ connection: number; message: string }> = [];
  connections = 0;
  /** Both ends of each connection: to cut one on cue, and all at stop. */
  private readonly ends = new Map<number, WebSocket[]>();

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(relayUrl: string, rules: ProxyRules): Promise<LinkProxy> {
    const server = createServer((_req, res) => {
      res.writeHead(404).end();
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxy = new LinkProxy(server, wss, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('upgrade', (req, socket, head) => proxy.upgrade(relayUrl, rules, req, socket, head));
    return proxy;
  }

  private upgrade(relayUrl: string, rules: ProxyRules, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const connection = ++this.connections;
    const upstream = new WebSocket(`${relayUrl.replace(/^http/, 'ws')}${req.url ?? '/'}`, {
      headers: { authorization: req.headers.authorization ?? '' },
      maxPayload: 16 * 1024 * 1024,
    });
    upstream.on('unexpected-response', (_r, res) => {
      socket.end(`HTTP/1.1 ${res.statusCode ?? 502} Refused\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      upstream.terminate();
    });
    upstream.on('error', () => socket.destroy());
    upstream.on('open', () => {
      this.wss.handleUpgrade(req, socket, head, (downstream) => {
        this.ends.set(connection, [downstream, upstream]);
        let n = 0;
        const silent = () => rules.silent?.(connection) === true;
        upstream.on('message', (data) => {
          if (silent()) return;
          const frame = data.toString();
          const verdict = rules.fromRelay?.(frame, ++n, connection) ?? 'pass';
          if (verdict === 'pass') downstream.send(frame);
          else if (typeof verdict === 'object') downstream.send(verdict.replace);
          else if (verdict === 'cut') {
            downstream.terminate();
            upstream.terminate();
          }
        });
        upstream.on('ping', (data) => {
          if (!silent()) downstream.ping(data);
        });
        downstream.on('message', (data) => {
          const message = data.toString();
          this.fromAgent.push({ connection, message });
          if (upstream.readyState === WebSocket.OPEN) upstream.send(message);
        });
        upstream.on('close', (code) => downstream.close(code >= 4000 || code === 1000 || code === 1001 ? code : 1011));
        downstream.on('close', () => upstream.close());
      });
    });
  }

  /** Cuts connection `connection` now, as a dead line would (no close frame). */
  cut(connection: number): void {
    for (const s of this.ends.get(connection) ?? []) s.terminate();
  }

  async stop(): Promise<void> {
    for (const s of [...this.ends.values()].flat()) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
