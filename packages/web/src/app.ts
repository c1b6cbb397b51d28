// The web view's HTTP app: the guard in front of everything (headers, Host, login, CSRF), then
// the pages, the actions and the live streams. Any failure that is not a CrosstalkError is
// answered as INTERNAL without its details.
import { CrosstalkError } from '@crosstalk/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { guard } from './auth/guard.js';
import type { WebDeps, WebEnv } from './deps.js';
import { actRoutes } from './routes/act.js';
import { eventRoutes } from './routes/events.js';
import { pageRoutes } from './routes/pages.js';
import { refusal } from './routes/render.js';

/** A form is a turn at most (64 KiB) and a few fields. */
const MAX_FORM_BYTES = 256 * 1024;

export function createWebApp(deps: WebDeps, onError: (err: unknown) => void = () => {}): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => refusal(c, new CrosstalkError('BODY_TOO_LARGE', 'the form is too large', { hint: 'keep a turn under 64 KiB' })),
    }),
  );
  app.use(
    '*',
    guard({ logins: deps.logins, allowedHosts: deps.allowedHosts, open: (path) => path.startsWith('/login/') || path === '/favicon.ico', refuse: refusal }),
  );
  app.route('/', pageRoutes(deps));
  app.route('/', actRoutes(deps));
  app.route('/', eventRoutes(deps));
  app.notFound((c) => refusal(c, new CrosstalkError('NOT_FOUND', 'no such page', { hint: 'start from the conversations: /' })));
  app.onError((err, c) => {
    if (err instanceof CrosstalkError) return refusal(c, err);
    onError(err);
    return refusal(
      c,
      new CrosstalkError('INTERNAL', 'the web view hit an internal error', { hint: 'retry; if it persists, see the output of `crosstalk web`' }),
    );
  });
  return app;
}
