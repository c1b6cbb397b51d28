// A TCP proxy that misbehaves on cue, between an agent and the relay: latency on every chunk
// (order kept), connection resets (RST on both sides), and blackholes. A blackhole behaves like a
// network that silently stops delivering: nothing passes in either direction and new connections
// hang, but, as with TCP, nothing is lost or reordered: once it heals, whatever is still connected
// gets its bytes. Peers that gave up in between (their heartbeat fired) are gone by then.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultProxyOptions {
  /** Where the relay listens. */
  target: { host: string; port: number };
  /** Latency added to each chunk, in milliseconds, drawn from [min, max]. */
  latencyMs?: [number, number];
  random?: () => number;
}

type Item = { data: Buffer; due: number } | { end: true; due: number };

/** One direction of one connection: chunks delivered in order, each no earlier than its due time. */
class Pipe {
  private readonly items: Item[] = [];
  private running = false;
  private lastDue = 0;

  constructor(
    private readonly proxy: FaultProxy,
    private readonly to: () => Socket | null,
  ) {}

  push(item: { data: Buffer } | { end: true }): void {
    const due = Math.max(Date.now() + this.proxy.delay(), this.lastDue);
    this.lastDue = due;
    this.items.push({ ...item, due });
    if (!this.running) void this.run();
  }

  clear(): void {
    this.items.length = 0;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.items.length > 0) {
        await this.proxy.passable();
        const first = this.items[0];
        if (!first) break;
        const wait = first.due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await this.proxy.passable();
        // A reset may have emptied the pipe meanwhile.
        const item = this.items[0];
        if (!item) break;
        const to = this.to();
        if (!to) return; // Not connected upstream yet: run again once it is.
        this.items.shift();
        if (to.destroyed) continue;
        if ('end' in item) to.end();
        else to.write(item.data);
      }
    } finally {
      this.running = false;
    }
  }

  kick(): void {
    if (!this.running && this.items.length > 0) void this.run();
  }
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
  up: Pipe;
  down: Pipe;
  closed: boolean;
  /** Each end's own socket is gone (its program closed it, or a reset did). */
  clientGone: boolean;
  upstreamGone: boolean;
  /** Chunks passed each way: two each way means a WebSocket past its upgrade, hello and welcome. */
  upChunks: number;
  downChunks: number;
}

/** The connections that were open when a blackhole began. */
export type Snapshot = ReadonlySet<Pair>;

export class FaultProxy {
  /** Connections accepted, and those a reset or a peer's heartbeat cut. */
  readonly stats = { connections: 0, resetConnections: 0, resets: 0, blackholes: 0 };
  private readonly pairs = new Set<Pair>();
  private blocked: { promise: Promise<void>; release: () => void } | null = null;

  private constructor(
    private readonly server: Server,
    private readonly options: FaultProxyOptions,
    readonly port: number,
  ) {}

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new FaultProxy(server, options, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Connections open right now. */
  get live(): number {
    this.prune();
    return [...this.pairs].filter((p) => !p.closed).length;
  }

  /** Open connections that carried a whole link setup (upgrade, hello, welcome). */
  get established(): number {
    this.prune();
    return [...this.pairs].filter((p) => !p.closed && p.upChunks >= 2 && p.downChunks >= 2).length;
  }

  private prune(): void {
    for (const p of this.pairs) if (p.closed && p.clientGone && (p.upstream === null || p.upstreamGone)) this.pairs.delete(p);
  }

  delay(): number {
    const [min, max] = this.options.latencyMs ?? [0, 0];
    return min + Math.floor((this.options.random ?? Math.random)() * (max - min + 1));
  }

  /** Resolves when traffic may pass (at once, unless a blackhole is on). */
  passable(): Promise<void> {
    return this.blocked?.promise ?? Promise.resolve();
  }

  private accept(client: Socket): void {
    this.stats.connections++;
    const pair: Pair = {
      client,
      upstream: null,
      closed: false,
      clientGone: false,
      upstreamGone: false,
      upChunks: 0,
      downChunks: 0,
      up: null as never,
      down: null as never,
    };
    pair.up = new Pipe(this, () => pair.upstream);
    pair.down = new Pipe(this, () => pair.client);
    this.pairs.add(pair);
    client.setNoDelay(true);
    client.on('data', (data) => {
      pair.upChunks++;
      pair.up.push({ data });
    });
    client.on('end', () => pair.up.push({ end: true }));
    client.on('error', () => {});
    client.on('close', () => {
      pair.clientGone = true;
      this.closePair(pair);
    });
    // A connection made during a blackhole reaches the relay only once it heals.
    void this.passable().then(() => {
      if (pair.closed) return;
      const upstream = connect({ host: this.options.target.host, port: this.options.target.port });
      upstream.setNoDelay(true);
      pair.upstream = upstream;
      upstream.on('connect', () => pair.up.kick());
      upstream.on('data', (data) => {
        pair.downChunks++;
        pair.down.push({ data });
      });
      upstream.on('end', () => pair.down.push({ end: true }));
      upstream.on('error', () => {});
      upstream.on('close', () => {
        pair.upstreamGone = true;
        this.closePair(pair);
      });
    });
  }

  private closePair(pair: Pair): void {
    if (pair.closed) return;
    pair.closed = true;
    pair.up.clear();
    pair.down.clear();
    // What one side sees as a vanished peer, the other sees as a reset; inside a blackhole not
    // even that gets through, so each side must notice on its own (its heartbeat).
    const cut = () => {
      if (!pair.client.destroyed) pair.client.resetAndDestroy();
      if (pair.upstream && !pair.upstream.destroyed) pair.upstream.resetAndDestroy();
    };
    if (this.blocked) void this.passable().then(cut);
    else cut();
  }

  /** Whether both ends of every connection in `snapshot` have given up on it by themselves. */
  gaveUp(snapshot: Snapshot): boolean {
    return [...snapshot].every((p) => p.clientGone && (p.upstream === null || p.upstreamGone));
  }

  /** Resets every open connection (RST to both ends); returns how many it cut. */
  reset(): number {
    this.prune();
    let cut = 0;
    for (const pair of [...this.pairs]) {
      if (pair.closed) continue;
      cut++;
      this.closePair(pair);
    }
    this.stats.resets++;
    this.stats.resetConnections += cut;
    return cut;
  }

  /**
   * Starts a blackhole; returns the established connections it caught (those whose ends have a
   * heartbeat running) and the function that heals it.
   */
  blackhole(): { caught: Snapshot; heal: () => void } {
    this.prune();
    const caught: Snapshot = new Set([...this.pairs].filter((p) => !p.closed && p.upChunks >= 2 && p.downChunks >= 2));
    if (this.blocked) return { caught, heal: () => {} };
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    this.blocked = { promise, release };
    this.stats.blackholes++;
    const heal = () => {
      if (this.blocked?.promise !== promise) return;
      this.blocked = null;
      release();
      for (const p of this.pairs) {
        p.up.kick();
        p.down.kick();
      }
    };
    return { caught, heal };
  }

  async stop(): Promise<void> {
    this.blocked?.release();
    this.blocked = null;
    for (const pair of [...this.pairs]) this.closePair(pair);
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
