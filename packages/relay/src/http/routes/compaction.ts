// Compaction of a running relay, for `crosstalk relay compact` (admin only): POST asks for it
// (answered before the relay stops for it), GET tells whether one is under way and how the last
// one went, with its sizes before and after.
import type { Hono, MiddlewareHandler } from 'hono';
import type { Services } from '../../services.js';
import { requireAdmin, type RelayEnv } from '../request.js';

export function compactionRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  app.post('/v1/admin/compact', auth, (c) => {
    requireAdmin(c);
    const pending = services.ledger.purgePending;
    if (pending === 0) return c.json({ scheduled: false, reason: 'no deleted conversation left content in the log', epoch: services.epoch }, 200);
    const scheduled = services.maintenance.requestCompaction();
    return c.json(
      { scheduled, reason: scheduled ? `${pending} deleted conversations to remove` : 'a compaction is already under way', epoch: services.epoch },
      202,
    );
  });

  app.get('/v1/admin/compaction', auth, (c) => {
    requireAdmin(c);
    const { running, last } = services.maintenance.status();
    return c.json({ running, last, epoch: services.epoch });
  });
}
