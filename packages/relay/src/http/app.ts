// The HTTP API of docs/PROTOCOL.md as one hono app. Every failure answers with the catalogue's
// status and `{code, message, hint}`; nothing a client sends can crash the relay.
import { CrosstalkError, LIMITS, PROTOCOL_HEADER } from '@crosstalk/core';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Services } from '../services.js';
import { bodyLimit } from './body-limit.js';
import { authenticate, guard } from './middleware.js';
import { protocolCheck } from './protocol.js';
import { protocolOf, type RelayEnv } from './request.js';
import { conversationRoutes } from './routes/conversations.js';
import { eventRoutes } from './routes/events.js';
import { hostRoutes } from './routes/hosts.js';
import { keyRoutes } from './routes/keys.js';
import { compactionRoutes } from './routes/compaction.js';
import { removalRoutes } from './routes/removal.js';
import { sessionRoutes } from './routes/sessions.js';
import { spawnRoutes } from './routes/spawns.js';

/** The client closed the connection before its request was read whole (node's `aborted`, ECONNRESET). */
function clientHungUp(err: unknown, c: Context<RelayEnv>): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const incoming = c.env?.incoming;
  return (
    code === 'ECONNRESET' || code === 'ECONNABORTED' || (incoming !== undefined && (incoming.errored !== null || incoming.destroyed) && !incoming.complete)
  );
}

export function createApp(services: Services): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();

  app.onError((err, c) => {
    if (clientHungUp(err, c)) {
      // Nobody is left to answer: a disconnect, not a fault of the relay.
      services.logger.debug({ method: c.req.method, path: c.req.path }, 'client hung up mid-request');
      return c.body(null, 400);
    }
    let error: CrosstalkError;
    if (err instanceof CrosstalkError) {
      error = err;
      if (error.status >= 500) services.logger.error({ err, path: c.req.path }, 'request failed');
    } else {
      services.logger.error({ err, method: c.req.method, path: c.req.path }, 'unexpected error while answering a request');
      error = new CrosstalkError('INTERNAL');
    }
    return c.json(error.toBody(), error.status as ContentfulStatusCode, { [PROTOCOL_HEADER]: String(protocolOf(c)) });
  });

  app.notFound((c) => c.json(new CrosstalkError('NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path.slice(0, 200)}`).toBody(), 404));

  app.use('*', guard(services));
  app.use('*', protocolCheck(services));
  app.use(
    '*',
    bodyLimit({
      maxSize: LIMITS.httpBodyBytes,
      onError: (c) => c.json(new CrosstalkError('BODY_TOO_LARGE', `the request body is larger than ${LIMITS.httpBodyBytes / 1024} KiB`).toBody(), 413),
    }),
  );

  const auth = authenticate(services);
  hostRoutes(app, services, auth);
  sessionRoutes(app, services, auth);
  conversationRoutes(app, services, auth);
  eventRoutes(app, services, auth);
  keyRoutes(app, services, auth);
  spawnRoutes(app, services, auth);
  removalRoutes(app, services, auth);
  compactionRoutes(app, services, auth);
  return app;
}
