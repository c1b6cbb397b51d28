// A `post` frame on an agent's link: the same change as the HTTP route of its kind (posts/run.ts),
// answered on the link with the same status and answer once durable, or the same error. Counted
// against the host's request budget, as an HTTP request is; never against the link's frame budget,
// so a busy host's posts are refused with RATE_LIMITED, not by closing its link.
import { CrosstalkError, LIMITS, type ClientMessage } from '@crosstalk/core';
import type { Principal } from '../auth/verify.js';
import { runPost } from '../posts/run.js';
import { isoNow, type Services } from '../services.js';

type PostFrame = Extract<ClientMessage, { t: 'post' }>;
const TOO_LARGE = `the request body is larger than ${LIMITS.httpBodyBytes / 1024} KiB`;

/** Answers one post frame through `send`; never throws. */
export function handleLinkPost(services: Services, principal: Principal, msg: PostFrame, send: (frame: object) => void): void {
  const refuse = (err: unknown) => {
    const e = err instanceof CrosstalkError ? err : new CrosstalkError('INTERNAL');
    if (!(err instanceof CrosstalkError)) services.logger.error({ err, op: msg.op }, 'unexpected error while answering a link post');
    else if (e.status >= 500) services.logger.error({ err, op: msg.op }, 'link post failed');
    send({ t: 'refused', id: msg.id, status: e.status, ...e.toBody() });
  };
  try {
    if (services.isShuttingDown()) throw new CrosstalkError('SHUTTING_DOWN');
    const who = principal.kind === 'host' ? principal.host : 'admin';
    if (!services.httpLimiter.take(who)) throw new CrosstalkError('RATE_LIMITED');
    if (Buffer.byteLength(JSON.stringify(msg.body ?? null)) > LIMITS.httpBodyBytes) throw new CrosstalkError('BODY_TOO_LARGE', TOO_LARGE);
    if (principal.kind === 'host') services.activity.seen(principal.host, isoNow(services));
    // The rules run at once, in the order the frames came (no await before the decision).
    runPost(services, principal, msg.op, msg.conversation, msg.body).then(({ status, answer }) => send({ t: 'posted', id: msg.id, status, answer }), refuse);
  } catch (err) {
    refuse(err);
  }
}
