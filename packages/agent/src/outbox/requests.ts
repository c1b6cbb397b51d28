// The local endpoint's `post` request: a command of this host's user (reply, open, moderate,
// close) handed to the agent, which keeps it (on disk, for a post with an idempotency key), sends
// it over its link, and answers with the relay's own answer — or, when the relay does not answer
// in time, with what became of the post. The body is the one the HTTP route takes; the relay checks
// it as there. Only its size and the fields the agent itself relies on are checked here.
import { checkName, CrosstalkError, isErrorCode, LIMITS, ModerateAnswerSchema, PostAnswerSchema, type ErrorCode } from '@crosstalk/core';
import { DURABLE_POST_OPS, ENDPOINT_POST_OPS, type EndpointPostOp } from '@crosstalk/core/endpoint';
import { whenClosed } from '../endpoint/closed.js';
import { plainlyValidAnswer } from './answer-check.js';
import { OutboxFullError, type PostForwarder, type PostResult } from './forwarder.js';
import { withExpectedTurn } from './json-text.js';

/** The longest a request may wait for the relay's answer. */
const MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 60_000;
/** A kept post whose answer is this late is said to be queued (most are answered well before). */
export const PROGRESS_AFTER_MS = 200;

export interface PostRequestDeps {
  forwarder: PostForwarder;
  /** The next turn of a conversation, as this agent's copy has it; null when it has none. */
  nextTurn(conversation: string): number | null;
}

export type Progress = (fields: Record<string, unknown>) => void;

function usage(message: string): CrosstalkError {
  return new CrosstalkError('INVALID_REQUEST', message);
}

/** Answers one `post` request (see docs/PROTOCOL.md, "Local endpoint"). */
export async function answerPost(
  deps: PostRequestDeps,
  request: Record<string, unknown>,
  closed: AbortSignal,
  progress: Progress,
): Promise<Record<string, unknown>> {
  const op = request.op;
  if (typeof op !== 'string' || !(ENDPOINT_POST_OPS as readonly string[]).includes(op)) throw usage(`op must be one of ${ENDPOINT_POST_OPS.join(', ')}`);
  const kind = op as EndpointPostOp;
  const conversation = kind === 'open' ? undefined : checkName('conversation', request.conversation);
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw usage('body must be a JSON object');
  // The body's JSON, made once: measured here, then written to the outbox and sent as it is.
  const bodyJson = JSON.stringify(body);
  if (Buffer.byteLength(bodyJson) > LIMITS.httpBodyBytes)
    throw new CrosstalkError('BODY_TOO_LARGE', `the request body is larger than ${LIMITS.httpBodyBytes / 1024} KiB`);
  const durable = DURABLE_POST_OPS.includes(kind);
  const fields = body as Record<string, unknown>;
  if (durable && (typeof fields.idempotencyKey !== 'string' || fields.idempotencyKey === '')) throw usage('a post through the agent needs an idempotencyKey');
  // A turn that names no expected turn expects the next one of this agent's copy: it is a
  // conflict, never an interleave, when another turn landed meanwhile.
  let sent = fields;
  let sentJson = bodyJson;
  if (kind === 'turn' && fields.expectedTurn === undefined && conversation !== undefined) {
    const next = deps.nextTurn(conversation);
    // A conversation this copy does not hold (yet): the client reads it from the relay itself.
    if (next === null) return { fallback: true, reason: `this host's agent holds no copy of ${conversation}` };
    sent = { ...fields, expectedTurn: next };
    sentJson = Object.hasOwn(fields, 'expectedTurn') ? JSON.stringify(sent) : withExpectedTurn(bodyJson, next);
  }
  const waitMs = typeof request.waitMs === 'number' && request.waitMs >= 0 ? Math.min(request.waitMs, MAX_WAIT_MS) : DEFAULT_WAIT_MS;

  let taken: ReturnType<PostForwarder['submit']>;
  try {
    taken = deps.forwarder.submit(kind, conversation, sent, durable, sentJson);
  } catch (err) {
    if (err instanceof OutboxFullError)
      throw new CrosstalkError('RELAY_UNREACHABLE', `${err.message}; nothing was sent`, { hint: 'check the relay with `crosstalk doctor`' });
    throw err;
  }
  // The relay often answers before the outbox's fsync is done: then the answer is all there is to say.
  let answered: PostResult | null = null;
  void taken.result.then((r) => (answered = r));
  // Not kept on disk: only the relay's answer, if the post reached it, says what became of it.
  if (!(await taken.kept)) return answerOf(kind, await taken.result);
  if (answered !== null) return answerOf(kind, answered);
  const say = () => progress({ queued: durable, linked: deps.forwarder.isLinked });
  // A moderation or a close is said to be taken at once: the client must not post it itself
  // any more. A kept post is said to be queued only when the relay is slow to answer it.
  if (!durable) say();

  const outcome = await answerWithin(taken.result, waitMs, closed, durable ? say : null);
  if (outcome !== null) return answerOf(kind, outcome);
  // No answer in time (or the asker hung up): say what became of the post.
  if (deps.forwarder.cancel(taken.id)) return { pending: true, state: 'not-sent' };
  if (durable) return { pending: true, state: 'queued' };
  return { pending: true, state: deps.forwarder.wasSent(taken.id) ? 'sent' : 'not-sent' };
}

/** The relay's answer, checked as the HTTP client checks it, or its refusal as an error. */
function answerOf(kind: EndpointPostOp, r: PostResult): Record<string, unknown> {
  if (!r.ok) {
    const code: ErrorCode = isErrorCode(r.code) ? r.code : 'INTERNAL';
    throw new CrosstalkError(code, r.message, { hint: r.hint, ...(r.details === undefined ? {} : { details: r.details }) });
  }
  const post = kind === 'open' || kind === 'turn';
  // What the relay sends passes the check by hand; the schema judges anything else.
  if (plainlyValidAnswer(r.answer, post ? 'post' : 'moderate')) return { status: r.status, answer: r.answer };
  const parsed = (post ? PostAnswerSchema : ModerateAnswerSchema).safeParse(r.answer);
  if (!parsed.success) throw new CrosstalkError('INTERNAL', `the relay's answer to a ${kind} is not what the protocol says`);
  return { status: r.status, answer: parsed.data };
}

/**
 * The relay's answer, or null after `ms` or once the asker hung up. `slow`, if given, is called
 * when the answer is `PROGRESS_AFTER_MS` late (and the wait not over). One timer a wait, and no
 * listener of its own on the asker's connection.
 */
function answerWithin(result: Promise<PostResult>, ms: number, closed: AbortSignal, slow: (() => void) | null): Promise<PostResult | null> {
  // A client that hung up before this wait began (during the outbox's fsync) is not waited for.
  if (closed.aborted) return Promise.resolve(null);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout;
    const end = (outcome: PostResult | null) => {
      clearTimeout(timer);
      unwatch();
      resolve(outcome);
    };
    const unwatch = whenClosed(closed, () => end(null));
    if (slow !== null && ms > PROGRESS_AFTER_MS) {
      timer = setTimeout(() => {
        slow();
        timer = setTimeout(() => end(null), ms - PROGRESS_AFTER_MS);
      }, PROGRESS_AFTER_MS);
    } else {
      timer = setTimeout(() => end(null), ms);
    }
    void result.then(end);
  });
}
