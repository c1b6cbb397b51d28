// The changes a host posts — open, turn, moderate, close, receipt — one way for both doors: an
// HTTP request and a `post` frame on an agent's link run the same checks in the same order, the
// same rules and the same commit, and get the same answer (only once durable) or the same error.
import { randomBytes } from 'node:crypto';
import {
  checkName,
  CloseRequestSchema,
  conversationId,
  CrosstalkError,
  decideClose,
  decideModerate,
  decideOpen,
  decidePost,
  ModerateRequestSchema,
  OpenRequestSchema,
  PostRequestSchema,
  ReceiptBodySchema,
  type Actor,
  type ReceiptBody,
} from '@crosstalk/core';
import type * as z from 'zod';
import type { Principal } from '../auth/verify.js';
import { fromZod } from '../http/errors.js';
import { answerChange, answerTurn, type Answered } from '../http/routes/answers.js';
import { isoNow, type Services } from '../services.js';
import { receiptEvent } from '../state/receipts.js';

export const POST_KINDS = ['open', 'turn', 'moderate', 'close', 'receipt'] as const;
export type PostKind = (typeof POST_KINDS)[number];

/** The calling host; the admin key acts as no host and owns no session. */
export function hostOf(principal: Principal): string {
  if (principal.kind !== 'host') {
    throw new CrosstalkError('SESSION_NOT_OWNED', 'the admin key acts as no session; use the credential of the host that owns the session', {
      hint: 'run this from the host the session joined on',
    });
  }
  return principal.host;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

/** Acting as a session of the calling host, or as the admin (who names no session). */
function actorFor(principal: Principal, as: string | undefined): Actor {
  if (principal.kind === 'admin') return { kind: 'admin' };
  if (as === undefined) throw new CrosstalkError('INVALID_REQUEST', 'name the moderator session acting (as)');
  return { kind: 'session', session: as, host: principal.host };
}

/**
 * Runs one post. `conversation` is the id the path names (turn, moderate, close); `value` the
 * request body as parsed JSON, not yet checked. Throws a CrosstalkError to refuse.
 */
export async function runPost(
  services: Services,
  principal: Principal,
  kind: PostKind,
  conversation: string | undefined,
  value: unknown,
): Promise<Answered<object>> {
  switch (kind) {
    case 'open':
      return open(services, hostOf(principal), value);
    case 'turn': {
      const host = hostOf(principal);
      return turn(services, host, checkName('conversation', conversation), value);
    }
    case 'moderate': {
      const id = checkName('conversation', conversation);
      const body = parse(ModerateRequestSchema, value);
      const outcome = decideModerate(services.ledger.state, {
        actor: actorFor(principal, body.as),
        conversation: id,
        action: body.action,
        at: isoNow(services),
      });
      return answerChange(services.ledger, outcome);
    }
    case 'close': {
      const id = checkName('conversation', conversation);
      const body = parse(CloseRequestSchema, value);
      const outcome = decideClose(services.ledger.state, {
        actor: actorFor(principal, body.as),
        conversation: id,
        resolution: body.resolution,
        at: isoNow(services),
      });
      return answerChange(services.ledger, outcome);
    }
    case 'receipt':
      return receipt(services, hostOf(principal), parse(ReceiptBodySchema, value));
  }
}

async function open(services: Services, host: string, value: unknown): Promise<Answered<object>> {
  const { state } = services.ledger;
  const body = parse(OpenRequestSchema, value);
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
  return answerTurn(services.ledger, outcome);
}

async function turn(services: Services, host: string, id: string, value: unknown): Promise<Answered<object>> {
  const body = parse(PostRequestSchema, value);
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
  return answerTurn(services.ledger, outcome);
}

async function receipt(services: Services, host: string, body: ReceiptBody): Promise<Answered<object>> {
  const { ledger } = services;
  const { events, durable } = ledger.commit([receiptEvent(ledger.state, host, body, isoNow(services))]);
  await durable;
  return { status: 201, answer: { seq: events[0]?.seq ?? 0 } };
}
