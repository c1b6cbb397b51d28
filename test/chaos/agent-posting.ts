// Posting the way `crosstalk reply` does (the CLI's own code, packages/cli/src/lib/post.ts): through
// the host's agent over its local endpoint, falling back to HTTP with the same idempotency key when
// the agent is down or dies mid-post. A lane of the chaos suites posts with this instead of a plain
// HTTP client; the caller's key is kept across its retries, as for HTTP.
import { Writable } from 'node:stream';
import type { RelayClient } from '@crosstalk/client';
import type { CloseRequest, OpenRequest, PostRequest } from '@crosstalk/core';
import { sendPost } from '../../packages/cli/src/lib/post.js';

export type PostingClient = Pick<RelayClient, 'openConversation' | 'postTurn' | 'close'>;

export interface AgentPosting extends PostingClient {
  /** Posts answered through the agent, and those that went straight to the relay. */
  readonly counts: { agent: number; direct: number };
}

/** Posts as the host whose crosstalk home is `home`; each call waits at most `postTimeoutMs`. */
export function agentPosting(home: string, userHome: string, postTimeoutMs: number): AgentPosting {
  const counts = { agent: 0, direct: 0 };
  const ctx = {
    crosstalkHome: home,
    userHome,
    platform: process.platform,
    uid: process.getuid?.() ?? 0,
    // Progress lines are for people; the suite counts what happened instead.
    stderr: new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream,
    signal: new AbortController().signal,
  };
  const way = { postTimeout: postTimeoutMs, verbose: false };
  const direct = <A>(fn: () => Promise<A>) => {
    counts.direct++;
    return fn();
  };
  const through = async <A>(p: Promise<A>): Promise<A> => {
    const before = counts.direct;
    const answer = await p;
    if (counts.direct === before) counts.agent++;
    return answer;
  };
  return {
    counts,
    openConversation: ({ idempotencyKey, ...body }: OpenRequest) =>
      through(sendPost(ctx, { op: 'open', body, key: idempotencyKey, direct: (client, b) => direct(() => client.openConversation(b as OpenRequest)) }, way)),
    postTurn: (id: string, { idempotencyKey, ...body }: PostRequest) =>
      through(
        sendPost(
          ctx,
          { op: 'turn', conversation: id, body, key: idempotencyKey, direct: (client, b) => direct(() => client.postTurn(id, b as PostRequest)) },
          way,
        ),
      ),
    close: (id: string, body: CloseRequest) =>
      through(
        sendPost(ctx, { op: 'close', conversation: id, body: { ...body }, direct: (client, b) => direct(() => client.close(id, b as CloseRequest)) }, way),
      ),
  };
}
