// Conversations: open, read, post turns, moderate, close. The rules live in core; this wires
// them to the log and answers once the change is durable.
import { randomBytes } from 'node:crypto';
import {
  isConversationStatus,
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
  type ConversationAnswer,
  type ConversationsAnswer,
  type ReceiptsAnswer,
} from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { isoNow, type Services } from '../../services.js';
import { conversationSince, summarize } from '../../state/views.js';
import { principalOf, queryInt, readBody, requireHost, type RelayContext, type RelayEnv } from '../request.js';
import { answerChange, answerTurn } from './answers.js';

/** Acting as a session of the calling host, or as the admin (who names no session). */
function actorFor(c: RelayContext, as: string | undefined): Actor {
  const p = principalOf(c);
  if (p.kind === 'admin') return { kind: 'admin' };
  if (as === undefined) throw new CrosstalkError('INVALID_REQUEST', 'name the moderator session acting (as)');
  return { kind: 'session', session: as, host: p.host };
}

export function conversationRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  app.get('/v1/conversations', auth, (c) => listConversations(c, services));
  app.post('/v1/conversations', auth, (c) => openConversation(c, services));
  app.get('/v1/conversations/:id', auth, (c) => readConversation(c, services));
  app.get('/v1/conversations/:id/markdown', auth, (c) => readMarkdown(c, services));
  app.get('/v1/conversations/:id/receipts', auth, (c) => readReceipts(c, services));
  app.post('/v1/conversations/:id/turns', auth, (c) => postTurn(c, services));
  app.post('/v1/conversations/:id/moderate', auth, (c) => moderate(c, services));
  app.post('/v1/conversations/:id/close', auth, (c) => close(c, services));
}

/** `?status` and `?participant` narrow the list; archived conversations only with `?archived=1`; newest first. */
async function listConversations(c: RelayContext, { ledger }: Services): Promise<Response> {
  const status = c.req.query('status');
  const participant = c.req.query('participant');
  if (status !== undefined && status !== '' && !isConversationStatus(status)) {
    throw new CrosstalkError('INVALID_REQUEST', `?status must be one of ${CONVERSATION_STATUSES.join(', ')}`);
  }
  if (participant !== undefined && participant !== '') checkName('session', participant);
  const archived = c.req.query('archived');
  if (archived !== undefined && archived !== '0' && archived !== '1') throw new CrosstalkError('INVALID_REQUEST', '?archived must be 0 or 1');
  await ledger.settled();
  const conversations = [];
  for (const conv of ledger.state.conversations.values()) {
    if (status && conv.status !== status) continue;
    if (conv.archived && archived !== '1') continue;
    if (participant && !conv.participants.includes(participant) && conv.moderator !== participant) continue;
    conversations.push(summarize(conv));
  }
  conversations.sort((a, b) => b.seq - a.seq);
  return c.json({ conversations } satisfies ConversationsAnswer);
}

async function openConversation(c: RelayContext, services: Services): Promise<Response> {
  const { state } = services.ledger;
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
  if (outcome.kind === 'events') services.quotas.admit(host, outcome.events);
  return answerTurn(c, services.ledger, outcome);
}

async function readConversation(c: RelayContext, { ledger }: Services): Promise<Response> {
  const since = queryInt(c, 'since', { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 });
  const conversation = getConversation(ledger.state, c.req.param('id') ?? '');
  await ledger.settled();
  return c.json({ conversation: conversationSince(conversation, since) } satisfies ConversationAnswer);
}

async function readMarkdown(c: RelayContext, { ledger }: Services): Promise<Response> {
  const conversation = getConversation(ledger.state, c.req.param('id') ?? '');
  await ledger.settled();
  return c.body(renderConversation(conversation), 200, { 'content-type': 'text/markdown; charset=utf-8' });
}

async function readReceipts(c: RelayContext, { ledger }: Services): Promise<Response> {
  const conversation = getConversation(ledger.state, c.req.param('id') ?? '');
  await ledger.settled();
  return c.json({ receipts: [...ledger.receiptsOf(conversation.id)] } satisfies ReceiptsAnswer);
}

async function postTurn(c: RelayContext, services: Services): Promise<Response> {
  const host = requireHost(c);
  const id = checkName('conversation', c.req.param('id'));
  const body = await readBody(c, PostRequestSchema);
  const outcome = decidePost(services.ledger.state, {
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
  if (outcome.kind === 'events') services.quotas.admit(host, outcome.events);
  return answerTurn(c, services.ledger, outcome);
}

async function moderate(c: RelayContext, services: Services): Promise<Response> {
  const id = checkName('conversation', c.req.param('id'));
  const body = await readBody(c, ModerateRequestSchema);
  const outcome = decideModerate(services.ledger.state, { actor: actorFor(c, body.as), conversation: id, action: body.action, at: isoNow(services) });
  return answerChange(c, services.ledger, outcome);
}

async function close(c: RelayContext, services: Services): Promise<Response> {
  const id = checkName('conversation', c.req.param('id'));
  const body = await readBody(c, CloseRequestSchema);
  const outcome = decideClose(services.ledger.state, { actor: actorFor(c, body.as), conversation: id, resolution: body.resolution, at: isoNow(services) });
  return answerChange(c, services.ledger, outcome);
}
