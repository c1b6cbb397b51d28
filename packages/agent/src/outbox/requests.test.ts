// The endpoint's post request when its client has already hung up: it says at once what became
// of the post instead of holding the request for its whole wait.
import { describe, expect, it } from 'vitest';
import type { PostForwarder, PostResult } from './forwarder.js';
import { answerPost } from './requests.js';

/** A forwarder whose relay never answers: nothing is sent, so a post can still be cancelled. */
function silentRelay(): { forwarder: PostForwarder; cancelled: string[] } {
  const cancelled: string[] = [];
  const forwarder = {
    isLinked: false,
    submit: () => ({ id: 'p1', kept: Promise.resolve(true), result: new Promise<PostResult>(() => {}) }),
    cancel: (id: string) => {
      cancelled.push(id);
      return true;
    },
    wasSent: () => false,
  } as unknown as PostForwarder;
  return { forwarder, cancelled };
}

describe('answerPost', () => {
  it('gives up a moderation at once when the asker hung up before the wait began', async () => {
    const { forwarder, cancelled } = silentRelay();
    const closed = AbortSignal.abort();
    const started = Date.now();
    const answer = await answerPost(
      { forwarder, nextTurn: () => null },
      { op: 'close', conversation: 'plan-a1b2', body: { as: 'a1', resolution: 'done' }, waitMs: 60_000 },
      closed,
      () => {},
    );
    expect(answer).toEqual({ pending: true, state: 'not-sent' });
    expect(cancelled).toEqual(['p1']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('waits for the answer while the asker is there, up to its wait', async () => {
    const { forwarder } = silentRelay();
    const answer = await answerPost(
      { forwarder, nextTurn: () => null },
      { op: 'close', conversation: 'plan-a1b2', body: { as: 'a1', resolution: 'done' }, waitMs: 50 },
      new AbortController().signal,
      () => {},
    );
    expect(answer).toEqual({ pending: true, state: 'not-sent' });
  });
});
