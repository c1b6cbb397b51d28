// The raw event stream over HTTP (for polling clients) and receipts posted by host agents.
import { ReceiptBodySchema, type ReceiptAnswer } from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { isoNow, type Services } from '../../services.js';
import { receiptEvent } from '../../state/receipts.js';
import { eventsForPeer } from '../../versions/for-peer.js';
import { protocolOf, queryInt, readBody, requireHost, type RelayEnv } from '../request.js';

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
    const host = requireHost(c);
    const body = await readBody(c, ReceiptBodySchema);
    const { events, durable } = ledger.commit([receiptEvent(ledger.state, host, body, isoNow(services))]);
    await durable;
    return c.json({ seq: events[0]?.seq ?? 0 } satisfies ReceiptAnswer, 201);
  });
}
