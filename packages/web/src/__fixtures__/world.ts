// The web app's unit tests' world: the real app, login book, live state and assets, fed with
// events from core's in-memory relay (host `here` with the person `alice` and the agent session
// `claude-here`; host `there` with `codex-there`), and a relay client pointed at a port where
// nothing listens, so any action that got past the checks would fail loudly.
import { createRelayClient } from '@crosstalk/client';
import { decideOpen } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import { Actions } from '../act/actions.js';
import { createWebApp } from '../app.js';
import { loadAssets } from '../assets.js';
import { COOKIE } from '../auth/guard.js';
import { LoginBook } from '../auth/logins.js';
import type { WebDeps } from '../deps.js';
import { SessionDirectory } from '../live/directory.js';
import { LiveState } from '../live/state.js';
import { StreamHub } from '../live/stream.js';

export const ORIGIN = 'http://127.0.0.1:7718';
export const HOST = '127.0.0.1:7718';

export interface World {
  relay: MemoryRelay;
  deps: WebDeps;
  app: ReturnType<typeof createWebApp>;
  /** Logs in through a fresh link; the cookie header and the login's CSRF token. */
  login(): Promise<{ cookie: string; csrf: string }>;
  /** A request as the browser on this server would send it. */
  request(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  /** Folds the relay's events the live state has not seen yet. */
  sync(): void;
}

export async function world(body = 'Which shape for **/users**?'): Promise<World> {
  const relay = new MemoryRelay();
  relay.register('alice', 'here', 'human');
  relay.register('claude-here', 'here', 'claude-code');
  relay.register('codex-there', 'there', 'codex');
  relay.commit(
    decideOpen(relay.state, {
      actor: { kind: 'session', session: 'codex-there', host: 'there' },
      id: 'users-api-1a2b',
      topic: 'users API shape',
      with: ['alice', 'claude-here'],
      body,
      key: 'k1',
      at: relay.now(),
    }),
  );
  const client = createRelayClient({ relayUrl: 'http://127.0.0.1:9' });
  const live = new LiveState();
  const deps: WebDeps = {
    host: 'here',
    live,
    link: { connected: true },
    logins: new LoginBook(),
    actions: new Actions(client, 'here'),
    directory: new SessionDirectory(client, live),
    streams: new StreamHub(),
    assets: await loadAssets(),
    allowedHosts: new Set([HOST]),
  };
  const app = createWebApp(deps, (err) => {
    throw err;
  });
  const sync = () => void live.apply(relay.log);
  sync();
  const request = (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('host')) headers.set('host', HOST);
    if (init.cookie) headers.set('cookie', init.cookie);
    return Promise.resolve(app.request(`${ORIGIN}${path}`, { ...init, headers }));
  };
  const login = async () => {
    const { secret } = deps.logins.issueLink();
    const res = await request(`/login/${secret}`);
    const set = res.headers.get('set-cookie') ?? '';
    const cookie = set.split(';')[0] ?? '';
    const page = await (await request('/', { cookie })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    if (!cookie.startsWith(`${COOKIE}=`) || !csrf) throw new Error(`login failed: ${res.status} ${set}`);
    return { cookie, csrf };
  };
  return { relay, deps, app, login, request, sync };
}

/** A form post as this server's own page sends it. */
export function formPost(fields: Record<string, string>, origin: string | null = ORIGIN): RequestInit {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (origin !== null) headers.origin = origin;
  return { method: 'POST', headers, body: new URLSearchParams(fields).toString() };
}
