// The tls profile's Caddyfile, run for real when caddy is installed: HTTPS from Caddy's internal
// CA, with the Authorization header and WebSocket upgrades reaching the upstream unchanged.
import { spawnSync } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { get } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@crosstalk/core/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type ClientOptions } from 'ws';
import { Procs } from '../harness/index.js';
import { readRepoFile } from './support.js';

const haveCaddy = spawnSync('caddy', ['version'], { stdio: 'ignore' }).status === 0;
const DOMAIN = 'crosstalk.lan';

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** An upstream that answers with the headers it received, over HTTP and over a WebSocket. */
async function echoUpstream(): Promise<{ server: Server; port: number }> {
  const wss = new WebSocketServer({ noServer: true });
  const headers = (req: IncomingMessage) => JSON.stringify({ authorization: req.headers.authorization ?? null, path: req.url });
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(headers(req));
  });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(headers(req));
      ws.on('message', (data) => ws.send(`echo:${data.toString()}`));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

const procs = new Procs();
let dir: string | undefined;
let upstream: Server | undefined;
afterEach(async () => {
  await procs.stopAll();
  upstream?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  upstream = dir = undefined;
});

describe('Caddy in front of the relay', () => {
  it('terminates TLS and passes Authorization and WebSocket upgrades through', async () => {
    if (!haveCaddy) {
      console.log('caddy is not installed: deploy/Caddyfile was checked by content only (compose.test.ts), not run');
      expect(readRepoFile('deploy/Caddyfile')).toContain('reverse_proxy relay:7717');
      return;
    }
    dir = await mkdtemp(join(tmpdir(), 'ct-caddy-'));
    const up = await echoUpstream();
    upstream = up.server;
    const [httpsPort, httpPort] = [await freePort(), await freePort()];
    // The shipped site block, pointed at the local upstream, with ports and state kept private.
    const site = readRepoFile('deploy/Caddyfile').replace('reverse_proxy relay:7717', `reverse_proxy 127.0.0.1:${up.port}`);
    expect(site).toContain(`reverse_proxy 127.0.0.1:${up.port}`);
    const config = join(dir, 'Caddyfile');
    await writeFile(config, `{\n\tadmin off\n\tskip_install_trust\n\thttp_port ${httpPort}\n\thttps_port ${httpsPort}\n}\n\n${site}`);
    const env = { HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
    const caddy = procs.spawn('caddy', 'caddy', ['run', '--config', config, '--adapter', 'caddyfile'], { cwd: dir, env });
    const logs = () => caddy.logs();

    const rootCert = join(dir, 'data/caddy/pki/authorities/local/root.crt');
    const ca = await waitFor("caddy's root certificate", () => readFile(rootCert).catch(() => undefined), { timeoutMs: 60_000, logs });

    const fetchJson = () =>
      new Promise<Record<string, unknown> | undefined>((resolve) => {
        const req = get(
          {
            host: '127.0.0.1',
            port: httpsPort,
            path: '/v1/health',
            servername: DOMAIN,
            ca,
            headers: { host: `${DOMAIN}:${httpsPort}`, authorization: 'Bearer header.payload.sig' },
          },
          (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve(res.statusCode === 200 ? (JSON.parse(body) as Record<string, unknown>) : undefined));
          },
        );
        req.on('error', () => resolve(undefined));
      });
    // Caddy issues the site certificate just after start: retry until TLS verifies against its CA.
    const answer = await waitFor('an HTTPS answer that verifies against its CA', fetchJson, { timeoutMs: 60_000, logs });
    expect(answer).toEqual({ authorization: 'Bearer header.payload.sig', path: '/v1/health' });

    // ws hands servername on to tls.connect; its types do not list it.
    const options: ClientOptions & { servername: string } = {
      servername: DOMAIN,
      ca,
      headers: { host: `${DOMAIN}:${httpsPort}`, authorization: 'Bearer link.token.sig' },
    };
    const ws = new WebSocket(`wss://127.0.0.1:${httpsPort}/v1/link`, options);
    const messages: string[] = [];
    ws.on('message', (data) => messages.push(data.toString()));
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await opened;
    ws.send('ping');
    await waitFor("the upstream's two messages", () => messages.length >= 2, {
      timeoutMs: 30_000,
      logs: () => `messages: ${JSON.stringify(messages)}\n${logs()}`,
    });
    expect(JSON.parse(messages[0]!)).toEqual({ authorization: 'Bearer link.token.sig', path: '/v1/link' });
    expect(messages[1]).toBe('echo:ping');
    ws.close();
  });
});
