// One HTTP exchange over node:http(s). Not fetch: its HTTP stack costs tens of milliseconds to
// load, paid by every short CLI call, and a wake-up round trip is meant to take less.
import type { Agent as HttpAgent, IncomingMessage, RequestOptions } from 'node:http';

export interface TransportRequest {
  url: string;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string | undefined;
  /** Deadline from sending to the last byte of the answer. */
  timeoutMs: number;
  /** Answers larger than this are refused without reading them whole. */
  maxBytes: number;
}

export interface TransportAnswer {
  status: number;
  body: Buffer;
}

/** Failures carry a short reason (`ECONNREFUSED`, `timeout`, `too-large`) for the caller's message. */
export class TransportError extends Error {
  /** The failure hit a kept-alive socket before any answer: safe to send again. */
  readonly staleSocket: boolean;
  constructor(
    readonly reason: string,
    options: { cause?: unknown; staleSocket?: boolean } = {},
  ) {
    super(reason, { cause: options.cause });
    this.name = 'TransportError';
    this.staleSocket = options.staleSocket ?? false;
  }
}

export type Transport = (req: TransportRequest) => Promise<TransportAnswer>;

type Module = {
  request: (url: URL, options: RequestOptions, cb: (res: IncomingMessage) => void) => import('node:http').ClientRequest;
  Agent: new (o: object) => HttpAgent;
};

/**
 * How long a kept-alive socket may sit idle before the client closes it: less than the relay's
 * 5-s keep-alive timeout, so a request never goes out on a socket the relay is just closing, and
 * a connection that a network silently dropped is not kept in the pool for ever.
 */
export const IDLE_SOCKET_MS = 4_000;

/** A transport that keeps connections alive per process; https is loaded only when used. */
export function nodeTransport(options: { idleSocketMs?: number } = {}): Transport {
  const idleSocketMs = options.idleSocketMs ?? IDLE_SOCKET_MS;
  const modules = new Map<string, Promise<{ mod: Module; agent: HttpAgent }>>();
  const load = (protocol: string) => {
    let entry = modules.get(protocol);
    if (!entry) {
      entry = (protocol === 'https:' ? import('node:https') : import('node:http')).then((m) => {
        const mod = m as unknown as Module;
        // `timeout` closes a socket left idle in the pool; one carrying a request is left alone.
        return { mod, agent: new mod.Agent({ keepAlive: true, maxSockets: 16, timeout: idleSocketMs }) };
      });
      modules.set(protocol, entry);
    }
    return entry;
  };

  return async (req) => {
    const url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TransportError(`unsupported protocol ${url.protocol}`);
    const { mod, agent } = await load(url.protocol);
    try {
      return await exchange(mod, agent, url, req);
    } catch (err) {
      // A kept-alive socket the server had already closed: the request never arrived, so send it
      // once more on a fresh connection (every crosstalk write is idempotent anyway).
      if (err instanceof TransportError && err.staleSocket) return exchange(mod, agent, url, req);
      throw err;
    }
  };
}

function exchange(mod: Module, agent: HttpAgent, url: URL, req: TransportRequest): Promise<TransportAnswer> {
  return new Promise<TransportAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const stale = request.reusedSocket && (reason === 'ECONNRESET' || reason === 'EPIPE') && !answered;
      request.destroy();
      reject(new TransportError(reason, { cause, staleSocket: stale }));
    };
    let answered = false;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const request = mod.request(url, { method: req.method, headers, agent }, (res) => {
      answered = true;
      const declared = Number(res.headers['content-length'] ?? '-1');
      if (declared > req.maxBytes) return fail('too-large');
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > req.maxBytes) return fail('too-large');
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks, total) });
      });
      res.on('error', (err) => fail((err as NodeJS.ErrnoException).code ?? 'connection lost', err));
    });
    const timer = setTimeout(() => fail('timeout'), req.timeoutMs);
    request.on('error', (err) => fail((err as NodeJS.ErrnoException).code ?? err.message.slice(0, 120), err));
    request.end(req.body);
  });
}

/** Adapts a fetch implementation (tests, proxies) to a transport. */
export function fetchTransport(doFetch: (input: string, init: RequestInit) => Promise<Response>): Transport {
  return async (req) => {
    const signal = AbortSignal.timeout(req.timeoutMs);
    let res: Response;
    try {
      res = await doFetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal, redirect: 'error' });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      throw new TransportError(signal.aborted ? 'timeout' : (cause?.code ?? (err as Error).message?.slice(0, 120) ?? 'network error'), { cause: err });
    }
    const declared = Number(res.headers.get('content-length') ?? '-1');
    if (declared > req.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new TransportError('too-large');
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > req.maxBytes) throw new TransportError('too-large');
    return { status: res.status, body };
  };
}
