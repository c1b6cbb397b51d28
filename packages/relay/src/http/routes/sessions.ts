// Sessions: who is registered where, registration by their host, removal by owner or admin.
import { checkName, CrosstalkError, RegisterSessionRequestSchema, type Session, type SessionAnswer, type SessionsAnswer } from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { isoNow, type Services } from '../../services.js';
import { publicSession } from '../../state/views.js';
import { principalOf, readBody, requireHost, type RelayEnv } from '../request.js';

export function sessionRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  const { ledger } = services;

  app.get('/v1/sessions', auth, async (c) => {
    await ledger.settled();
    const sessions = [...ledger.state.sessions.values()].map((s) => publicSession(s, services.activity.isOnline(s), services.activity.activity(s)));
    return c.json({ sessions } satisfies SessionsAnswer);
  });

  app.post('/v1/sessions', auth, async (c) => {
    const host = requireHost(c);
    const body = await readBody(c, RegisterSessionRequestSchema);
    const existing = ledger.state.sessions.get(body.name);
    if (existing && existing.host !== host) {
      throw new CrosstalkError('SESSION_TAKEN', `session ${body.name} is registered by host ${existing.host}`, { details: { owner: existing.host } });
    }
    const session: Session = { name: body.name, host, kind: body.kind, wake: body.wake, joinedAt: isoNow(services) };
    const { durable } = ledger.commit([{ type: 'session.registered', at: session.joinedAt, session }]);
    await durable;
    return c.json({ session } satisfies SessionAnswer, 201);
  });

  app.delete('/v1/sessions/:name', auth, async (c) => {
    const name = checkName('session', c.req.param('name'));
    const session = ledger.state.sessions.get(name);
    if (!session) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${name}`);
    const p = principalOf(c);
    if (p.kind === 'host' && p.host !== session.host) {
      throw new CrosstalkError('SESSION_NOT_OWNED', `session ${name} belongs to host ${session.host}`, { details: { owner: session.host } });
    }
    const { durable } = ledger.commit([{ type: 'session.unregistered', at: isoNow(services), session: name, host: session.host }]);
    await durable;
    return c.json({ session } satisfies SessionAnswer);
  });
}
