// Remote `crosstalk peek`: the relay asks the session's host agent over its link for the last
// lines of the session's terminal and hands the answer to the waiting HTTP request. Nothing of it
// is logged or kept: the screen passes through memory, bounded, and a peek unanswered in time
// fails. The host's agent decides with its own policy who may read its screens.
import { randomBytes } from 'node:crypto';
import { type ClientMessage, CrosstalkError, type ServerMessage } from '@crosstalk/core';

type Peeked = Extract<ClientMessage, { t: 'peeked' }>;
type PeekFrame = Extract<ServerMessage, { t: 'peek' }>;

/** Peeks waiting at once, over every host: each holds an HTTP request open. */
const MAX_WAITING = 64;

/** Sends a frame on the host's agent link; false when it has none that speaks `peek`. */
export type AgentSender = (host: string, frame: PeekFrame) => boolean;

export class PeekBroker {
  private send: AgentSender = () => false;
  private readonly waiting = new Map<string, { host: string; done: (answer: Peeked) => void }>();

  /** The hub, once it exists, lends its agent links. */
  attach(send: AgentSender): void {
    this.send = send;
  }

  /** The screen lines of `session` on `host`, as its agent answers; refusals and failures as CrosstalkErrors. */
  async ask(o: { host: string; by: string; session: string; lines: number; timeoutMs: number }): Promise<string[]> {
    if (this.waiting.size >= MAX_WAITING) throw new CrosstalkError('RATE_LIMITED', 'too many peeks are waiting for an answer');
    const id = randomBytes(12).toString('hex');
    const answered = new Promise<Peeked>((resolve) => this.waiting.set(id, { host: o.host, done: resolve }));
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!this.send(o.host, { t: 'peek', id, by: o.by, session: o.session, lines: o.lines })) {
        throw new CrosstalkError('PEEK_UNAVAILABLE', `the agent of host ${o.host} is not linked to the relay (or too old to read screens)`);
      }
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), o.timeoutMs);
      });
      const answer = await Promise.race([answered, late]);
      if (!answer) throw new CrosstalkError('PEEK_TIMEOUT', `host ${o.host} did not send the screen of ${o.session} within ${o.timeoutMs / 1000} s`);
      if (answer.error) {
        const { code, message, rule } = answer.error;
        throw new CrosstalkError(code, message, rule ? { details: { rule } } : {});
      }
      return answer.lines ?? [];
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  /** An agent's answer: taken only from the host that was asked. */
  answer(host: string, msg: Peeked): void {
    const waiting = this.waiting.get(msg.id);
    if (!waiting || waiting.host !== host) throw new CrosstalkError('INVALID_REQUEST', `no peek ${msg.id} was asked of host ${host}`);
    waiting.done(msg);
  }
}
