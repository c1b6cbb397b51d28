// Archiving and deleting a conversation (`crosstalk archive`, `crosstalk delete`): the moderator
// (as a session of the calling host) or the admin. Answered once the event is durable.
import { checkName, CrosstalkError, decideArchive, RemovalRequestSchema, type Actor, type RemovalAnswer } from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { isoNow, type Services } from '../../services.js';
import { deleteConversations } from '../../state/remove.js';
import { principalOf, readBody, type RelayContext, type RelayEnv } from '../request.js';

function actorFor(c: RelayContext, as: string | undefined): Actor {
  const p = principalOf(c);
  if (p.kind === 'admin') return { kind: 'admin' };
  if (as === undefined) throw new CrosstalkError('INVALID_REQUEST', 'name the moderator session acting (as)');
  return { kind: 'session', session: as, host: p.host };
}

export function removalRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  app.post('/v1/conversations/:id/archive', auth, async (c) => {
    const id = checkName('conversation', c.req.param('id'));
    const body = await readBody(c, RemovalRequestSchema);
    const outcome = decideArchive(services.ledger.state, { actor: actorFor(c, body.as), conversation: id, at: isoNow(services) });
    if (outcome.kind !== 'events') throw new CrosstalkError('INTERNAL', 'archiving decided nothing');
    const { events, durable } = services.ledger.commit(outcome.events);
    await durable;
    return c.json({ conversation: id, seq: events[0]?.seq ?? 0 } satisfies RemovalAnswer);
  });

  app.post('/v1/conversations/:id/delete', auth, async (c) => {
    const id = checkName('conversation', c.req.param('id'));
    const body = await readBody(c, RemovalRequestSchema);
    const { events, durable } = deleteConversations(services, [id], actorFor(c, body.as), isoNow(services), 'request');
    await durable;
    return c.json({ conversation: id, seq: events[0]?.seq ?? 0 } satisfies RemovalAnswer);
  });
}
