// A `post` frame on an agent's link: the same change as the HTTP route of its kind (posts/run.ts),
// answered on the link with the same status and answer once durable, or the same error. Counted
// against the host's request budget, as an HTTP request is; never against the link's frame budget,
// so a busy host's posts are refused with RATE_LIMITED, not by closing its link. A post sent again
// under the same id (the agent resends what its outbox keeps after a link drop) is answered with
// the first one's answer while this relay runs: a receipt has no idempotency key of its own.
import { CrosstalkError, LIMITS, type ClientMessage } from '@crosstalk/core';
import type { Principal } from '../auth/verify.js';
import { runPost } from '../posts/run.js';
import { isoNow, type Services } from '../services.js';

type PostFrame = Extract<ClientMessage, { t: 'post' }>;
const TOO_LARGE = `the request body is larger than ${LIMITS.httpBodyBytes / 1024} KiB`;

/**
 * How many times longer than its text in a frame a JSON value can come out of JSON.stringify:
 * only a number grows (`1e20`, 4 bytes, comes out as 21 digits); a string keeps its length or
 * shrinks (an escape written longer than needed, a stray byte read as U+FFFD: 1 byte to 3), and
 * white space goes. A frame under the body limit divided by this cannot hold a body over it.
 */
export const JSON_GROWTH = 6;

/** Whether the body, serialized as an HTTP request would carry it, is over the HTTP body limit. */
export function bodyTooLarge(body: unknown, frameBytes: number): boolean {
  // The usual post is a few KiB: no need to serialize it again to know.
  if (frameBytes * JSON_GROWTH <= LIMITS.httpBodyBytes) return false;
  return Buffer.byteLength(JSON.stringify(body ?? null)) > LIMITS.httpBodyBytes;
}

/**
 * An answer as the link sends it: its status and its JSON. Kept as text: thousands are kept, and
 * one string costs the garbage collector far less than the objects of a turn and a summary.
 */
export type Answer = { status: number; json: string };

/** The answers to the latest posts of each host, by post id (bounded). */
export class PostMemory {
  private readonly answers = new Map<string, Promise<Answer>>();
  /**
   * The keys, oldest first, walked once: a Map iterator goes on across deletions, so finding the
   * oldest key is one step, where a fresh `keys()` would step over every key deleted before it.
   */
  private oldest = this.answers.keys();

  constructor(private readonly max = 20_000) {}

  get(host: string, id: string): Promise<Answer> | undefined {
    return this.answers.get(`${host}\n${id}`);
  }

  set(host: string, id: string, answer: Promise<Answer>): void {
    const key = `${host}\n${id}`;
    this.answers.set(key, answer);
    // A refusal is not remembered: the same post sent again is tried again.
    answer.catch(() => this.answers.delete(key));
    if (this.answers.size > this.max) {
      let first = this.oldest.next();
      // Only once every key it had walked was deleted and none was added: start a walk afresh.
      if (first.done) first = (this.oldest = this.answers.keys()).next();
      this.answers.delete(first.value as string);
    }
  }
}

/** Answers one post frame (`frameBytes` long, as received) through `send`; never throws. */
export function handleLinkPost(
  services: Services,
  memory: PostMemory,
  principal: Principal,
  msg: PostFrame,
  frameBytes: number,
  send: (frame: string) => void,
): void {
  const refuse = (err: unknown) => {
    const e = err instanceof CrosstalkError ? err : new CrosstalkError('INTERNAL');
    if (!(err instanceof CrosstalkError)) services.logger.error({ err, op: msg.op }, 'unexpected error while answering a link post');
    else if (e.status >= 500) services.logger.error({ err, op: msg.op }, 'link post failed');
    send(JSON.stringify({ t: 'refused', id: msg.id, status: e.status, ...e.toBody() }));
  };
  try {
    if (services.isShuttingDown()) throw new CrosstalkError('SHUTTING_DOWN');
    const who = principal.kind === 'host' ? principal.host : 'admin';
    if (!services.httpLimiter.take(who)) throw new CrosstalkError('RATE_LIMITED');
    if (bodyTooLarge(msg.body, frameBytes)) throw new CrosstalkError('BODY_TOO_LARGE', TOO_LARGE);
    if (principal.kind === 'host') services.activity.seen(principal.host, isoNow(services));
    const host = principal.kind === 'host' ? principal.host : 'admin';
    // The rules run at once, in the order the frames came (no await before the decision).
    let answered = memory.get(host, msg.id);
    if (!answered) {
      answered = runPost(services, principal, msg.op, msg.conversation, msg.body).then(({ status, answer }) => ({ status, json: JSON.stringify(answer) }));
      memory.set(host, msg.id, answered);
    }
    // The frame JSON.stringify({ t, id, status, answer }) would write, the answer's JSON made once.
    answered.then(({ status, json }) => send(`{"t":"posted","id":${JSON.stringify(msg.id)},"status":${status},"answer":${json}}`), refuse);
  } catch (err) {
    refuse(err);
  }
}
