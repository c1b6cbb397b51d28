// Spawn and kill requests (docs/SPAWN.md). The relay decides nothing about them: it records who
// asked, from which host, for what, as an event that reaches the asked host's agent through its
// link like every other; that agent applies its own policy, acts, and reports the outcome, which
// is recorded as an event too, only from the host that was asked. The log is the audit trail.
// A peek is passed to the session's host agent over its link and answered at once, never logged.
import { randomBytes } from 'node:crypto';
import {
  ADMIN_ACTOR,
  CrosstalkError,
  KillRequestSchema,
  KillResultBodySchema,
  parseJson,
  type PeekAnswer,
  PeekRequestSchema,
  type RelayEvent,
  type RequestAnswer,
  SpawnRequestSchema,
  SpawnResultBodySchema,
} from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { isoNow, type Services } from '../../services.js';
import { principalOf, readBody, requireHost, type RelayEnv, type RelayContext } from '../request.js';

const newId = (): string => randomBytes(12).toString('hex');
/** How long a peek waits for the session's host agent (it reads a terminal: a tmux call, or a helper on Windows). */
const PEEK_TIMEOUT_MS = 15_000;

/** The requester as recorded: its host, or `admin` for the admin key. */
function requester(c: RelayContext): string {
  const p = principalOf(c);
  return p.kind === 'host' ? p.host : ADMIN_ACTOR;
}

export function spawnRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  const { ledger } = services;

  /**
   * The request an outcome answers, read from its event in the log: the outcome counts only from
   * the host that request was sent to, for the session it named.
   */
  const askedOf = async (type: 'spawn.requested' | 'kill.requested', body: { request: number; id: string; session: string }, host: string) => {
    let event: RelayEvent | null = null;
    if (body.request <= ledger.events.durableSeq) {
      event = parseJson(await ledger.events.readOne(body.request)) as RelayEvent | null;
    }
    if (!event || event.type !== type || event.id !== body.id || event.session !== body.session) {
      throw new CrosstalkError('REQUEST_NOT_FOUND', `no ${type.split('.')[0]} request ${body.id} for ${body.session} at seq ${body.request}`);
    }
    if (event.host !== host) {
      throw new CrosstalkError('NOT_ASKED_HOST', `request ${body.id} was sent to host ${event.host}, not ${host}`, { details: { asked: event.host } });
    }
  };

  const enrolled = (host: string): void => {
    const h = ledger.state.hosts.get(host);
    if (!h || h.revokedAt !== null) throw new CrosstalkError('HOST_NOT_FOUND', `no enrolled host named ${host}`);
  };

  app.post('/v1/spawns', auth, async (c) => {
    const by = requester(c);
    const body = await readBody(c, SpawnRequestSchema);
    enrolled(body.host);
    const owner = ledger.state.sessions.get(body.session)?.host;
    if (owner !== undefined && owner !== body.host) {
      throw new CrosstalkError('SESSION_TAKEN', `session ${body.session} is registered by host ${owner}`, { details: { owner } });
    }
    const id = newId();
    const { events, durable } = ledger.commit([{ type: 'spawn.requested', at: isoNow(services), id, by, ...body }]);
    await durable;
    return c.json({ id, seq: events[0]?.seq ?? 0, host: body.host } satisfies RequestAnswer, 201);
  });

  app.post('/v1/spawns/results', auth, async (c) => {
    const host = requireHost(c);
    const { request, ...body } = await readBody(c, SpawnResultBodySchema);
    await askedOf('spawn.requested', { request, ...body }, host);
    const { events, durable } = ledger.commit([{ type: 'spawn.resulted', at: isoNow(services), host, ...body }]);
    await durable;
    return c.json({ id: body.id, seq: events[0]?.seq ?? 0, host } satisfies RequestAnswer, 201);
  });

  // Remote peek: nothing recorded; the session's host agent answers with its screen, or refuses by its policy.
  app.post('/v1/peeks', auth, async (c) => {
    const by = requester(c);
    const body = await readBody(c, PeekRequestSchema);
    const session = ledger.state.sessions.get(body.session);
    if (!session) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${body.session}`);
    const lines = await services.peeks.ask({ host: session.host, by, session: session.name, lines: body.lines, timeoutMs: PEEK_TIMEOUT_MS });
    return c.json({ session: session.name, host: session.host, lines } satisfies PeekAnswer);
  });

  app.post('/v1/kills', auth, async (c) => {
    const by = requester(c);
    const body = await readBody(c, KillRequestSchema);
    const session = ledger.state.sessions.get(body.session);
    if (!session) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${body.session}`);
    const id = newId();
    const { events, durable } = ledger.commit([{ type: 'kill.requested', at: isoNow(services), id, by, host: session.host, session: session.name }]);
    await durable;
    return c.json({ id, seq: events[0]?.seq ?? 0, host: session.host } satisfies RequestAnswer, 201);
  });

  app.post('/v1/kills/results', auth, async (c) => {
    const host = requireHost(c);
    const { request, ...body } = await readBody(c, KillResultBodySchema);
    await askedOf('kill.requested', { request, ...body }, host);
    const { events, durable } = ledger.commit([{ type: 'kill.resulted', at: isoNow(services), host, ...body }]);
    await durable;
    return c.json({ id: body.id, seq: events[0]?.seq ?? 0, host } satisfies RequestAnswer, 201);
  });
}
