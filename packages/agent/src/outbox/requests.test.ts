// The endpoint's post request when its client has already hung up: it says at once what became
// of the post instead of holding the request for its whole wait.
import { describe, expect, it } from 'vitest';
import type { PostForwarder, PostResult } from './forwarder.js';
import { answerPost, PROGRESS_AFTER_MS } from './requests.js';

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

  it('says a kept turn is queued only when the relay is slow to answer it; a moderation at once', async () => {
    /** A relay that answers after `ms` (never, for null), and what the forwarder was handed. */
    const relay = (ms: number | null) => {
      const submitted: unknown[][] = [];
      const forwarder = {
        isLinked: true,
        submit: (...args: unknown[]) => {
          submitted.push(args);
          const result = new Promise<PostResult>((resolve) => {
            if (ms !== null) setTimeout(() => resolve({ ok: false, status: 409, code: 'TURN_CONFLICT', message: 'moved on', hint: '' }), ms);
          });
          return { id: 'p1', kept: Promise.resolve(true), result };
        },
        cancel: () => false,
        wasSent: () => true,
      } as unknown as PostForwarder;
      return { forwarder, submitted };
    };
    const turn = { op: 'turn', conversation: 'plan-a1b2', body: { as: 'a1', idempotencyKey: 'k1', body: 'hi' } };
    const ask = async (ms: number | null, request: Record<string, unknown>) => {
      const { forwarder, submitted } = relay(ms);
      const said: Array<{ at: number; fields: Record<string, unknown> }> = [];
      const started = Date.now();
      const outcome = await answerPost({ forwarder, nextTurn: () => 4 }, request, new AbortController().signal, (fields) =>
        said.push({ at: Date.now() - started, fields }),
      ).catch((err: unknown) => err);
      return { outcome, said, submitted };
    };

    const quick = await ask(5, turn);
    expect(quick.outcome).toMatchObject({ code: 'TURN_CONFLICT' });
    expect(quick.said).toEqual([]);
    // The body the relay gets: the expected turn of this agent's copy put in, and its JSON with it.
    expect(quick.submitted[0]?.slice(0, 4)).toEqual(['turn', 'plan-a1b2', { ...turn.body, expectedTurn: 4 }, true]);
    expect(quick.submitted[0]?.[4]).toBe(JSON.stringify({ ...turn.body, expectedTurn: 4 }));

    const slow = await ask(PROGRESS_AFTER_MS + 300, turn);
    expect(slow.outcome).toMatchObject({ code: 'TURN_CONFLICT' });
    expect(slow.said.map((s) => s.fields)).toEqual([{ queued: true, linked: true }]);
    expect(slow.said[0]?.at).toBeGreaterThanOrEqual(PROGRESS_AFTER_MS - 20);

    const never = await ask(null, { ...turn, waitMs: PROGRESS_AFTER_MS + 100 });
    expect(never.outcome).toEqual({ pending: true, state: 'queued' });
    expect(never.said.map((s) => s.fields)).toEqual([{ queued: true, linked: true }]);

    const moderation = await ask(5, { op: 'moderate', conversation: 'plan-a1b2', body: { as: 'a1', action: { type: 'extend', by: 1 } } });
    expect(moderation.said).toEqual([{ at: expect.any(Number), fields: { queued: false, linked: true } }]);
    expect(moderation.said[0]?.at).toBeLessThan(PROGRESS_AFTER_MS);
  });

  it('stops waiting when the asker hangs up during the wait, and waits of other connections go on', async () => {
    const { forwarder, cancelled } = silentRelay();
    const hangUp = new AbortController();
    const close = { op: 'close', conversation: 'plan-a1b2', body: { as: 'a1', resolution: 'done' } };
    const started = Date.now();
    const first = answerPost({ forwarder, nextTurn: () => null }, { ...close, waitMs: 60_000 }, hangUp.signal, () => {});
    const second = answerPost({ forwarder, nextTurn: () => null }, { ...close, waitMs: 60_000 }, hangUp.signal, () => {});
    const other = answerPost({ forwarder, nextTurn: () => null }, { ...close, waitMs: 100 }, new AbortController().signal, () => {});
    expect(await other).toEqual({ pending: true, state: 'not-sent' });
    hangUp.abort();
    expect(await Promise.all([first, second])).toEqual([
      { pending: true, state: 'not-sent' },
      { pending: true, state: 'not-sent' },
    ]);
    expect(cancelled).toEqual(['p1', 'p1', 'p1']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
