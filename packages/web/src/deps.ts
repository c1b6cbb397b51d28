// What the web app is made of, handed in by the server (and by the tests, with real parts).
import type { Actions } from './act/actions.js';
import type { Assets } from './assets.js';
import type { LoginBook } from './auth/logins.js';
import type { SessionDirectory } from './live/directory.js';
import type { LiveState } from './live/state.js';
import type { StreamHub } from './live/stream.js';

export interface WebDeps {
  /** This host's name: the identity every action is taken with. */
  host: string;
  live: LiveState;
  link: { readonly connected: boolean };
  logins: LoginBook;
  actions: Actions;
  directory: SessionDirectory;
  streams: StreamHub;
  assets: Assets;
  /** `host:port` values this server answers to; null: any (with --listen). */
  allowedHosts: ReadonlySet<string> | null;
}

/** What the guard leaves for the routes: the login the request came with. */
export interface WebEnv {
  Variables: { login: import('./auth/logins.js').Login };
}
