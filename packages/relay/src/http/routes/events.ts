// The raw event stream over HTTP (for polling clients) and receipts posted by host agents.
import type { Hono, MiddlewareHandler } from 'hono';
import { runPost } from '../../posts/run.js';
import type { Services } from '../../services.js';
import { eventsForPeer } from '../../versions/for-peer.js';
import { principalOf, protocolOf, queryInt, readJson, requireHost, type RelayEnv } from '../request.js';

const MAX_EVENTS = 1000;
/** Keeps one answer well below what a client should have to hold. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export function eventRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  const { ledger } = services;

  app.get('/v1/events', auth, async (c) => {
    const after = queryInt(c, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 });
    const limit = queryInt(c, 'limit', { min: 1, max: MAX_EVENTS, default: MAX_EVENTS });
    const events = eventsForPeer(await ledger.events.read(after, limit, MAX_ANSWER_BYTES), protocolOf(c));
    const head = ledger.events.durableSeq;
    // Events are serialized once, when logged; the answer is assembled from those strings.
    return c.body(`{"events":[${events.join(',')}],"head":${head}}`, 200, { 'content-type': 'application/json' });
  });

  app.post('/v1/receipts', auth, async (c) => {
    requireHost(c);
    const { status, answer } = await runPost(services, principalOf(c), 'receipt', undefined, await readJson(c));
    return c.json(answer, status as 201);
  });
}
