// `crosstalk web` (and `crosstalk up`) start this: the live state and its watch link, the app,
// and an HTTP server on loopback (elsewhere only when asked), acting with this host's client and
// key, which stay in this process. It hands out one-time login links.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelayClient } from '@crosstalk/client';
import { CrosstalkError } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import { getRequestListener } from '@hono/node-server';
import { Actions } from './act/actions.js';
import { createWebApp } from './app.js';
import { loadAssets } from './assets.js';
import { LoginBook } from './auth/logins.js';
import { SessionDirectory } from './live/directory.js';
import { LiveLink } from './live/link.js';
import { LiveState } from './live/state.js';
import { StreamHub } from './live/stream.js';

export interface WebServerOptions {
  /** This host's name, its relay client and signer (from the crosstalk home). */
  host: string;
  client: RelayClient;
  signer: TokenSigner;
  /** Address to listen on (default 127.0.0.1). */
  listen?: string;
  port: number;
  /** How long to wait for the state to catch up with the relay before serving anyway. */
  readyTimeoutMs?: number;
  log?: { warn(message: string): void; error(message: string, err: unknown): void };
}

export interface RunningWebServer {
  /** Where the browser reaches it, e.g. http://127.0.0.1:7718 */
  url: string;
  port: number;
  /** Whether it listens on loopback only. */
  loopback: boolean;
  /** A new one-time login link, and when it expires. */
  loginLink(): { url: string; expiresAt: Date };
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(address: string): boolean {
  return LOOPBACK.has(address) || address.startsWith('127.');
}

function urlFor(address: string, port: number): string {
  const shown = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const refused = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new CrosstalkError('CONFIG_INVALID', `port ${port} on ${address} is already in use`, {
            hint: 'is `crosstalk web` (or `crosstalk up`) already running? Otherwise pick another --port',
            cause: err,
          }),
        );
      } else reject(err);
    };
    server.once('error', refused);
    server.listen(port, address, () => {
      server.off('error', refused);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const address = options.listen ?? '127.0.0.1';
  const log = options.log ?? { warn: () => {}, error: () => {} };
  const live = new LiveState();
  const link = new LiveLink({ relayUrl: options.client.relayUrl, signer: options.signer, live, log });
  const directory = new SessionDirectory(options.client, live);
  const streams = new StreamHub();
  const logins = new LoginBook();
  const allowed = new Set<string>();
  const deps = {
    host: options.host,
    live,
    link,
    logins,
    actions: new Actions(options.client, options.host),
    directory,
    streams,
    assets: await loadAssets(),
    allowedHosts: isLoopback(address) ? allowed : null,
  };
  const app = createWebApp(deps, (err) => log.error('web view request failed', err));
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, getRequestListener(app.fetch));
  link.start();
  let port: number;
  try {
    port = await listen(server, options.port, address);
  } catch (err) {
    await link.stop();
    throw err;
  }
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) allowed.add(`${name}:${port}`);
  // Pages rendered before the state caught up would show a partial list.
  await Promise.race([link.ready(), new Promise((r) => setTimeout(r, options.readyTimeoutMs ?? 10_000).unref())]);
  const url = urlFor(address, port);
  return {
    url,
    port,
    loopback: isLoopback(address),
    loginLink: () => {
      const { secret, expiresAt } = logins.issueLink();
      return { url: `${url}/login/${secret}`, expiresAt: new Date(expiresAt) };
    },
    close: async () => {
      streams.closeAll();
      directory.stop();
      await link.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
