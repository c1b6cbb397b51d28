import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeTransport, TransportError } from './transport.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const get = (url: string, extra: { maxBytes?: number; timeoutMs?: number } = {}) => ({
  url,
  method: 'GET' as const,
  headers: {},
  timeoutMs: extra.timeoutMs ?? 5000,
  maxBytes: extra.maxBytes ?? 1024,
});

describe('nodeTransport', () => {
  it('sends bodies and returns status and bytes', async () => {
    const { url } = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(201, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url} ${req.headers['content-length']} ${body}`));
    });
    const answer = await nodeTransport()({ ...get(`${url}/v1/x?a=1`), method: 'POST', body: '{"é":1}' });
    expect(answer.status).toBe(201);
    expect(answer.body.toString()).toBe('POST /v1/x?a=1 8 {"é":1}');
  });
  it('refuses answers over the bound, declared or streamed', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
      else {
        res.writeHead(200);
        res.write('x'.repeat(800));
        res.end('x'.repeat(800));
      }
    });
    const t = nodeTransport();
    await expect(t(get(`${url}/declared`))).rejects.toMatchObject({ reason: 'too-large' });
    await expect(t(get(`${url}/streamed`))).rejects.toMatchObject({ reason: 'too-large' });
  });
  it('times out a silent server and names a refused connection', async () => {
    const { url } = await serve(() => {});
    await expect(nodeTransport()(get(url, { timeoutMs: 100 }))).rejects.toMatchObject({ reason: 'timeout' });
    const closed = await serve(() => {});
    await new Promise((r) => closed.server.close(r));
    servers.pop();
    const err = await nodeTransport()(get(closed.url)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).reason).toBe('ECONNREFUSED');
  });
  it('sends again on a fresh connection when a kept-alive socket was closed by the server', async () => {
    let requests = 0;
    const { url, server } = await serve((_req, res) => {
      requests++;
      res.end('ok');
    });
    const t = nodeTransport();
    expect((await t(get(url))).body.toString()).toBe('ok');
    // The server drops idle connections (as a restarted relay does) while the client keeps its socket.
    server.closeIdleConnections();
    expect((await t(get(url))).body.toString()).toBe('ok');
    expect(requests).toBe(2);
  });

  it('closes a socket left idle in its pool, but not one waiting for a slow answer', async () => {
    const closedAt: number[] = [];
    const { url, server } = await serve((req, res) => {
      // The slow answer comes after more than twice the idle time.
      if (req.url === '/slow') setTimeout(() => res.end('late'), 600);
      else res.end('ok');
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => socket.on('close', () => closedAt.push(Date.now())));
    const t = nodeTransport({ idleSocketMs: 200 });
    expect((await t(get(`${url}/slow`))).body.toString()).toBe('late');
    const idleSince = Date.now();
    expect((await t(get(url))).body.toString()).toBe('ok');
    // Only the client can have closed it: the server would have kept it for a minute.
    for (const deadline = Date.now() + 5_000; closedAt.length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    expect(closedAt).toHaveLength(1);
    expect(closedAt[0]! - idleSince).toBeGreaterThanOrEqual(150);
  });
});
