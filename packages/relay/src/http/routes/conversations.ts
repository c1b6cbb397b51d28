// Conversations: open, read, post turns, moderate, close. The rules live in core; this wires
// them to the log and answers once the change is durable.
import {
  isConversationStatus,
  checkName,
  CONVERSATION_STATUSES,
  CrosstalkError,
  getConversation,
  renderConversation,
  type ConversationAnswer,
  type ConversationsAnswer,
  type ReceiptsAnswer,
} from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import { runPost, type PostKind } from '../../posts/run.js';
import type { Services } from '../../services.js';
import { principalOf, queryInt, readJson, requireHost, type RelayContext, type RelayEnv } from '../request.js';

export function conversationRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  app.get('/v1/conversations', auth, (c) => listConversations(c, services));
  app.post('/v1/conversations', auth, (c) => post(c, services, 'open'));
  app.get('/v1/conversations/:id', auth, (c) => readConversation(c, services));
  app.get('/v1/conversations/:id/markdown', auth, (c) => readMarkdown(c, services));
  app.get('/v1/conversations/:id/receipts', auth, (c) => readReceipts(c, services));
  app.post('/v1/conversations/:id/turns', auth, (c) => post(c, services, 'turn', c.req.param('id')));
  app.post('/v1/conversations/:id/moderate', auth, (c) => post(c, services, 'moderate', c.req.param('id')));
  app.post('/v1/conversations/:id/close', auth, (c) => post(c, services, 'close', c.req.param('id')));
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
  for (const conv of ledger.summaries()) {
    if (status && conv.status !== status) continue;
    if (conv.archived && archived !== '1') continue;
    if (participant && !conv.participants.includes(participant) && conv.moderator !== participant) continue;
    conversations.push(conv);
  }
  conversations.sort((a, b) => b.seq - a.seq);
  return c.json({ conversations } satisfies ConversationsAnswer);
}

/** A post runs as it would from an agent's link (posts/run.ts); HTTP only reads the body. */
async function post(c: RelayContext, services: Services, kind: PostKind, conversation?: string): Promise<Response> {
  // The admin key is refused before its body is read, as it always was.
  if (kind === 'open' || kind === 'turn') requireHost(c);
  if (conversation !== undefined) checkName('conversation', conversation);
  const { status, answer } = await runPost(services, principalOf(c), kind, conversation, await readJson(c));
  return c.json(answer, status as 200);
}

async function readConversation(c: RelayContext, { ledger }: Services): Promise<Response> {
  const since = queryInt(c, 'since', { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 });
  const id = getConversation(ledger.state, c.req.param('id') ?? '').id;
  await ledger.settled();
  return c.json({ conversation: await ledger.readConversation(id, since) } satisfies ConversationAnswer);
}

async function readMarkdown(c: RelayContext, { ledger }: Services): Promise<Response> {
  const id = getConversation(ledger.state, c.req.param('id') ?? '').id;
  await ledger.settled();
  return c.body(renderConversation(await ledger.readConversation(id)), 200, { 'content-type': 'text/markdown; charset=utf-8' });
}

async function readReceipts(c: RelayContext, { ledger }: Services): Promise<Response> {
  const conversation = getConversation(ledger.state, c.req.param('id') ?? '');
  await ledger.settled();
  return c.json({ receipts: await ledger.receiptsOf(conversation.id) } satisfies ReceiptsAnswer);
}
