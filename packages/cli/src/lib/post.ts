// How a command posts (open, reply, moderate, close, ask's opening): through this host's agent when
// one runs — over its local endpoint, with no key, token or schema library loaded here — else
// straight to the relay over HTTP. Opens and turns carry one idempotency key for every attempt on
// either way, so a post retried across a relay restart, a link drop or the fall-back to HTTP lands
// once. The wait for the relay's acknowledgement is bounded (--post-timeout), with progress on
// stderr; when it runs out, or Ctrl-C ends it, the error says what became of the post.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { AgentGone, AgentUnproven, askAgent, AskInterrupted, LocalRefusal } from '@crosstalk/client/local';
import { CrosstalkError, isErrorCode } from '@crosstalk/core/errors';
import { DURABLE_POST_OPS, endpointPath, endpointSecretPath, type EndpointPostOp } from '@crosstalk/core/endpoint';
import { resolveHome } from '@crosstalk/core/home';
import type { PostAnswer } from '@crosstalk/core';
import type { CliContext } from '../handler.js';
import { say } from '../output.js';
import { idempotencyKey, withRetry } from './retry.js';

/** What the direct way needs: a client signing as this host (loaded only when it is taken). */
export type DirectClient = Awaited<ReturnType<typeof import('./home.js').connectHost>>['client'];

export interface PostPlan<A> {
  op: EndpointPostOp;
  conversation?: string;
  /** The body the HTTP route takes, without the idempotency key (added here for opens and turns). */
  body: Record<string, unknown>;
  /** The idempotency key of an open or a turn; default a fresh one (a caller retrying a post gives the same). */
  key?: string;
  /** The same post over HTTP. */
  direct(client: DirectClient, body: Record<string, unknown>): Promise<A>;
}

export interface PostWay {
  /** --post-timeout, in ms. */
  postTimeout: number;
  verbose: boolean;
}

type Ctx = Pick<CliContext, 'crosstalkHome' | 'userHome' | 'platform' | 'uid' | 'stderr' | 'signal'>;

/** Progress lines while a post waits this long and more. */
const PROGRESS_EVERY_MS = 5_000;
/** Beyond the wait the agent was given, how long its answer may take to arrive. */
const ANSWER_SLACK_MS = 10_000;

export async function sendPost<A>(ctx: Ctx, plan: PostPlan<A>, way: PostWay): Promise<A> {
  const durable = DURABLE_POST_OPS.includes(plan.op);
  const body = durable ? { ...plan.body, idempotencyKey: plan.key ?? idempotencyKey() } : plan.body;
  const started = Date.now();
  const viaAgent = await throughAgent<A>(ctx, plan, body, way);
  if (viaAgent.done) return viaAgent.answer;
  if (way.verbose) say(ctx, `${viaAgent.why}; posting straight to the relay${durable ? ' (same idempotency key)' : ''}`);
  return direct(ctx, plan, body, way, started);
}

type AgentOutcome<A> = { done: true; answer: A } | { done: false; why: string };

async function throughAgent<A>(ctx: Ctx, plan: PostPlan<A>, body: Record<string, unknown>, way: PostWay): Promise<AgentOutcome<A>> {
  const home = resolveHome({ crosstalkHome: ctx.crosstalkHome, userHome: ctx.userHome });
  const secret = await readFile(endpointSecretPath(home), 'utf8').catch(() => null);
  if (secret === null) return { done: false, why: 'no agent endpoint secret in this home' };
  const path = endpointPath(home, ctx.platform, tmpdir(), ctx.uid ?? 0);
  let queued = false;
  let linked = true;
  let taken = false;
  const started = Date.now();
  const timer = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    say(
      ctx,
      `waiting for the relay to acknowledge (${s} s of ${Math.round(way.postTimeout / 1000)} s): ${queued ? "kept in this host's agent" : 'handed to the agent'}${linked ? '' : ', whose link to the relay is down'}`,
    );
  }, PROGRESS_EVERY_MS);
  const request = { t: 'post', op: plan.op, ...(plan.conversation === undefined ? {} : { conversation: plan.conversation }), body, waitMs: way.postTimeout };
  let reply: Record<string, unknown> | null;
  try {
    reply = await askAgent(path, request, way.postTimeout + ANSWER_SLACK_MS, {
      secret,
      signal: ctx.signal,
      onProgress: (p) => {
        taken = true;
        queued = p.queued === true;
        linked = p.linked !== false;
      },
    });
  } catch (err) {
    if (err instanceof AskInterrupted) throw interruptedInAgent(plan, taken, queued);
    if (err instanceof LocalRefusal) {
      throw new CrosstalkError(isErrorCode(err.code) ? err.code : 'INTERNAL', err.message, {
        ...(err.hint === undefined ? {} : { hint: err.hint }),
        ...(err.details === undefined ? {} : { details: err.details }),
      });
    }
    if (err instanceof AgentUnproven) {
      say(ctx, `warning: ${err.message}; not posting through it`);
      return { done: false, why: 'the endpoint did not prove it is this user’s agent' };
    }
    // Gone before it took the post: no harm in posting directly. A moderation or a close it had
    // taken may have been sent already, and carries no key to make a second one harmless.
    if (err instanceof AgentGone && (DURABLE_POST_OPS.includes(plan.op) || !taken)) {
      return { done: false, why: 'the agent went away before it answered' };
    }
    if (err instanceof AgentGone) {
      throw new CrosstalkError('RELAY_UNREACHABLE', `the agent went away after it took this ${plan.op}: it may or may not have been made`, {
        hint: `check with \`crosstalk read ${plan.conversation ?? '<id>'}\` before trying again`,
      });
    }
    return { done: false, why: `the agent did not answer (${err instanceof Error ? err.message : String(err)})` };
  } finally {
    clearInterval(timer);
  }
  if (reply === null) return { done: false, why: 'no agent runs for this home' };
  if (reply.fallback === true) return { done: false, why: typeof reply.reason === 'string' ? reply.reason : 'the agent cannot take it' };
  if (reply.pending === true) throw unacknowledged(plan, String(reply.state), way.postTimeout);
  if (typeof reply.answer !== 'object' || reply.answer === null) return { done: false, why: 'the agent does not take posts (an older version)' };
  if (way.verbose) say(ctx, "posted through this host's agent");
  return { done: true, answer: reply.answer as A };
}

/** Ctrl-C while the agent held the post: what becomes of it is the agent's, and the message says what. */
function interruptedInAgent(plan: { op: string; conversation?: string }, taken: boolean, queued: boolean): CrosstalkError {
  const read = `\`crosstalk read ${plan.conversation ?? '<id>'}\``;
  if (queued)
    return new CrosstalkError(
      'POST_INTERRUPTED',
      `interrupted before the relay acknowledged the ${plan.op}; it stays queued in this host's agent's outbox on disk and is posted when the relay takes it, once`,
      { hint: `nothing to redo: ${read} shows it once it landed; \`crosstalk agent status\` shows the outbox`, details: { post: 'queued' } },
    );
  if (taken)
    return new CrosstalkError(
      'POST_INTERRUPTED',
      `interrupted before the relay answered the ${plan.op}: this host's agent drops it if it was not sent yet, so it may or may not have been made`,
      { hint: `check with ${read} before trying again`, details: { post: 'unknown' } },
    );
  return new CrosstalkError('POST_INTERRUPTED', `interrupted before this host's agent said it kept the ${plan.op}: it may or may not be posted`, {
    hint: `check with ${read} (and \`crosstalk agent status\`) before trying again`,
    details: { post: 'unknown' },
  });
}

function unacknowledged(plan: { op: string; conversation?: string }, state: string, waitedMs: number): CrosstalkError {
  const s = Math.round(waitedMs / 1000);
  if (state === 'queued')
    return new CrosstalkError(
      'POST_QUEUED',
      `the relay did not acknowledge the ${plan.op} within ${s} s; this host's agent keeps it on disk and sends it when the relay is back`,
    );
  if (state === 'sent')
    return new CrosstalkError('RELAY_UNREACHABLE', `the relay did not answer the ${plan.op} within ${s} s: it may or may not have been made`, {
      hint: `check with \`crosstalk read ${plan.conversation ?? '<id>'}\` before trying again`,
    });
  return new CrosstalkError('RELAY_UNREACHABLE', `the relay could not be reached within ${s} s; the ${plan.op} was not sent`, {
    hint: 'nothing was posted: check the relay (`crosstalk doctor`) and run the command again',
  });
}

/** Straight to the relay: opens and turns are retried with the same key until the time is up. */
async function direct<A>(ctx: Ctx, plan: PostPlan<A>, body: Record<string, unknown>, way: PostWay, started: number): Promise<A> {
  const { connectHost } = await import('./home.js');
  const { retryable } = await import('./retry.js');
  const host = await connectHost(ctx);
  const deadline = started + way.postTimeout;
  const retries = DURABLE_POST_OPS.includes(plan.op);
  let lastSaid = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await plan.direct(host.client, body);
    } catch (err) {
      const left = deadline - Date.now();
      // A token the relay had already seen (a request it got, whose answer a broken connection
      // lost, sent again as it was) is no refusal of the post: the next attempt has a fresh one.
      const again = retryable(err) || (err instanceof CrosstalkError && err.code === 'AUTH_REPLAYED');
      if (retries && again && ctx.signal.aborted) throw interruptedDirect(plan);
      if (!retries || !again || left <= 0) throw err;
      if (Date.now() - lastSaid >= PROGRESS_EVERY_MS) {
        lastSaid = Date.now();
        say(ctx, `relay not answering (${(err as CrosstalkError).code}); retrying with the same key for ${Math.ceil(left / 1000)} s more`);
      }
      const delay = Math.min(left, 250 * 2 ** Math.min(attempt - 1, 3) * (0.75 + Math.random() * 0.5));
      await pause(delay, ctx.signal);
      if (ctx.signal.aborted) throw interruptedDirect(plan);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Ctrl-C between two attempts of the direct way: an earlier one may have landed, its answer lost. */
function interruptedDirect(plan: { op: string; conversation?: string }): CrosstalkError {
  return new CrosstalkError(
    'POST_INTERRUPTED',
    `interrupted while retrying the ${plan.op}: the relay has not acknowledged it, so it may or may not have been made`,
    {
      hint: `check with \`crosstalk read ${plan.conversation ?? '<id>'}\` before trying again`,
      details: { post: 'unknown' },
    },
  );
}

/** A post made with a client already at hand (spawn's opening): one idempotency key for every retry. */
export async function postOnce<A>(send: (key: string) => Promise<A>, signal?: AbortSignal): Promise<A> {
  const key = idempotencyKey();
  return withRetry(() => send(key), signal === undefined ? {} : { signal });
}

/** `--json` of open and reply. */
export function postData(answer: PostAnswer) {
  return { id: answer.conversation.id, conversation: answer.conversation, turn: answer.turn, seq: answer.seq, duplicate: answer.duplicate };
}

const names = (list: readonly string[]) => (list.length > 0 ? list.join(', ') : '-');

/** One line for humans after a post. */
export function postLine(answer: PostAnswer): string {
  const c = answer.conversation;
  const what = answer.turn.n === 1 ? `opened ${c.id}` : `posted turn ${answer.turn.n}/${c.maxTurns} in ${c.id}`;
  const state =
    c.status === 'in-progress'
      ? `next: ${names(c.next)}`
      : c.status === 'at-limit'
        ? `at its turn limit; the floor is with the moderator ${c.moderator}`
        : c.status;
  return `${what}${answer.duplicate ? ' (already posted; this is the original)' : ''}; ${state}`;
}
