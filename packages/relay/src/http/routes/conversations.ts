// Conversations: open, read, post turns, moderate, close. The rules live in core; this wires
// them to the log and answers once the change is durable.
import { randomBytes } from 'node:crypto';
import {
  checkName,
  CloseRequestSchema,
  CONVERSATION_STATUSES,
  conversationId,
  CrosstalkError,
  decideClose,
  decideModerate,
  decideOpen,
  decidePost,
  getConversation,
  ModerateRequestSchema,
  OpenRequestSchema,
  PostRequestSchema,
  renderConversation,
  type Actor,
  type ConversationStatus,
  type Outcome,
} from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { isoNow, type Services } from '../../services.js';
import { conversationSince, summarize } from '../../state/views.js';
import { principalOf, queryInt, readBody, requireHost, type RelayContext, type RelayEnv } from '../request.js';

/** Acting as a session of the calling host, or as the admin (who names no session). */
function actorFor(c: RelayContext, as: string | undefined): Actor {
  const p = principalOf(c);
  if (p.kind === 'admin') return { kind: 'admin' };
  if (as === undefined) throw new CrosstalkError('INVALID_REQUEST', 'name the moderator session acting (as)');
  return { kind: 'session', session: as, host: p.host };
}

export function conversationRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  const { ledger } = services;
  const state = ledger.state;

  /** Commits a turn-producing outcome, or finds the original one for a repeated key. */
  async function answerTurn(c: RelayContext, outcome: Outcome) {
    let conversationId: string;
    let n: number;
    let seq: number;
    const duplicate = outcome.kind === 'duplicate';
    if (outcome.kind === 'events') {
      const { events, durable } = ledger.commit(outcome.events);
      await durable;
      const event = events[0];
      if (event?.type === 'conversation.opened') {
        conversationId = event.conversation.id;
        n = 1;
      } else if (event?.type === 'turn.posted') {
        conversationId = event.conversation;
        n = event.turn.n;
      } else {
        throw new CrosstalkError('INTERNAL', 'a turn produced no turn event');
      }
      seq = event.seq;
    } else {
      conversationId = outcome.conversation;
      n = outcome.turn;
      // The original may still be on its way to disk: answer with the same durability.
      const original = ledger.turnSeq(conversationId, n);
      await (original === undefined ? ledger.settled() : ledger.events.waitDurable(original));
      seq = original ?? 0;
    }
    const conversation = getConversation(state, conversationId);
    const turn = conversation.turns[n - 1];
    return c.json({ conversation: summarize(conversation), turn, seq, duplicate }, duplicate ? 200 : 201);
  }

  app.get('/v1/conversations', auth, async (c) => {
    const status = c.req.query('status');
    const participant = c.req.query('participant');
    if (status !== undefined && status !== '' && !CONVERSATION_STATUSES.includes(status as ConversationStatus)) {
      throw new CrosstalkError('INVALID_REQUEST', `?status must be one of ${CONVERSATION_STATUSES.join(', ')}`);
    }
    if (participant !== undefined && participant !== '') checkName('session', participant);
    await ledger.settled();
    const conversations = [];
    for (const conv of state.conversations.values()) {
      if (status && conv.status !== status) continue;
      if (participant && !conv.participants.includes(participant) && conv.moderator !== participant) continue;
      conversations.push(summarize(conv));
    }
    conversations.sort((a, b) => b.seq - a.seq);
    return c.json({ conversations });
  });

  app.post('/v1/conversations', auth, async (c) => {
    const host = requireHost(c);
    const body = await readBody(c, OpenRequestSchema);
    let id = conversationId(body.topic, randomBytes(4));
    for (let i = 0; i < 20 && state.conversations.has(id); i++) id = conversationId(body.topic, randomBytes(4));
    const outcome = decideOpen(state, {
      actor: { kind: 'session', session: body.as, host },
      id,
      topic: body.topic,
      with: body.with,
      moderator: body.moderator,
      maxTurns: body.maxTurns,
      body: body.body,
      next: body.next,
      key: body.idempotencyKey,
      at: isoNow(services),
    });
    return answerTurn(c, outcome);
  });

  app.get('/v1/conversations/:id', auth, async (c) => {
    const since = queryInt(c, 'since', { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 });
    const conversation = getConversation(state, c.req.param('id'));
    await ledger.settled();
    return c.json({ conversation: conversationSince(conversation, since) });
  });

  app.get('/v1/conversations/:id/markdown', auth, async (c) => {
    const conversation = getConversation(state, c.req.param('id'));
    await ledger.settled();
    return c.body(renderConversation(conversation), 200, { 'content-type': 'text/markdown; charset=utf-8' });
  });

  app.get('/v1/conversations/:id/receipts', auth, async (c) => {
    const conversation = getConversation(state, c.req.param('id'));
    await ledger.settled();
    return c.json({ receipts: ledger.receiptsOf(conversation.id) });
  });

  app.post('/v1/conversations/:id/turns', auth, async (c) => {
    const host = requireHost(c);
    const id = checkName('conversation', c.req.param('id'));
    const body = await readBody(c, PostRequestSchema);
    const outcome = decidePost(state, {
      actor: { kind: 'session', session: body.as, host },
      conversation: id,
      expectedTurn: body.expectedTurn,
      key: body.idempotencyKey,
      body: body.body,
      next: body.next,
      propose: body.propose,
      agree: body.agree,
      at: isoNow(services),
    });
    return answerTurn(c, outcome);
  });

  app.post('/v1/conversations/:id/moderate', auth, async (c) => {
    const id = checkName('conversation', c.req.param('id'));
    const body = await readBody(c, ModerateRequestSchema);
    const outcome = decideModerate(state, { actor: actorFor(c, body.as), conversation: id, action: body.action, at: isoNow(services) });
    return answerChange(c, outcome);
  });

  app.post('/v1/conversations/:id/close', auth, async (c) => {
    const id = checkName('conversation', c.req.param('id'));
    const body = await readBody(c, CloseRequestSchema);
    const outcome = decideClose(state, { actor: actorFor(c, body.as), conversation: id, resolution: body.resolution, at: isoNow(services) });
    return answerChange(c, outcome);
  });

  async function answerChange(c: RelayContext, outcome: Outcome) {
    if (outcome.kind !== 'events') throw new CrosstalkError('INTERNAL', 'moderation produced no change');
    const { events, durable } = ledger.commit(outcome.events);
    await durable;
    const event = events[0];
    if (!event || !('conversation' in event) || typeof event.conversation !== 'string') throw new CrosstalkError('INTERNAL', 'moderation produced no conversation event');
    return c.json({ conversation: summarize(getConversation(state, event.conversation)), seq: event.seq });
  }
}
