// What `open` and `reply` share: one idempotency key per invocation, reused for its retries.
import type { PostAnswer } from '@crosstalk/core';
import { names } from './format.js';
import { idempotencyKey, withRetry } from './retry.js';

export async function postOnce(send: (key: string) => Promise<PostAnswer>, signal?: AbortSignal): Promise<PostAnswer> {
  const key = idempotencyKey();
  return withRetry(() => send(key), signal === undefined ? {} : { signal });
}

/** `--json` of open and reply. */
export function postData(answer: PostAnswer) {
  return { id: answer.conversation.id, conversation: answer.conversation, turn: answer.turn, seq: answer.seq, duplicate: answer.duplicate };
}

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
