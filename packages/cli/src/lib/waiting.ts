// Waiting until a conversation needs a session: shared by `wait` and `ask`.
import { CrosstalkError, sessionsToWake, type Conversation } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import type { RelayClient } from '@crosstalk/agent/client';
import { markWaiting } from '@crosstalk/agent/waiting';
import { followConversation } from './follow.js';

export type WaitResult = { result: 'your-turn' | 'ended'; conversation: Conversation } | { result: 'interrupted'; conversation: Conversation | null };

/** Your turn (the moderator at the limit holds the floor too), or ended for you; else undefined. */
export function judge(c: Conversation, session: string): 'your-turn' | 'ended' | undefined {
  if (sessionsToWake(c).includes(session)) return 'your-turn';
  if (c.status !== 'in-progress') return 'ended';
  return undefined;
}

export interface WaitOptions {
  client: RelayClient;
  signer: TokenSigner;
  id: string;
  session: string;
  /** Where this host's agent looks for waiting sessions (`layout.waitingDir`), so it types no line meanwhile. */
  waitingDir: string;
  /** This process, named in the mark (a mark whose process is gone counts for nothing). */
  pid: number;
  timeoutMs?: number | undefined;
  signal: AbortSignal;
  /** Called once when the first look shows there is something to wait for. */
  onPending?: (c: Conversation) => void;
  /** Decides when to stop (default `judge`); what it throws ends the wait with that error. */
  until?: (c: Conversation) => 'your-turn' | 'ended' | undefined;
}

export async function waitForTurn(options: WaitOptions): Promise<WaitResult> {
  const until = options.until ?? ((c: Conversation) => judge(c, options.session));
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? null
      : setTimeout(() => {
          timedOut = true;
          stop.abort();
        }, options.timeoutMs);
  let last: Conversation | null = null;
  let outcome: 'your-turn' | 'ended' | undefined;
  let failure: unknown;
  let pendingSaid = false;
  // Best effort: without the mark the wait still works, and a line may be typed as well.
  const mark = await markWaiting(options.waitingDir, { session: options.session, conversation: options.id, pid: options.pid, since: new Date().toISOString() }).catch(() => null);
  let told: number | null = null;
  try {
    const how = await followConversation({
      client: options.client,
      signer: options.signer,
      id: options.id,
      signal: stop.signal,
      onUpdate: (c) => {
        last = c;
        try {
          outcome = until(c);
        } catch (err) {
          failure = err;
          return true;
        }
        if (outcome === undefined && !pendingSaid) {
          pendingSaid = true;
          options.onPending?.(c);
        }
        return outcome !== undefined;
      },
    });
    if (failure !== undefined) throw failure;
    if (how === 'done' && outcome !== undefined && last) {
      if (outcome === 'your-turn') told = (last as Conversation).turns.length + 1;
      return { result: outcome, conversation: last };
    }
  } finally {
    if (timer) clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    if (mark) await (told === null ? mark.release() : mark.told(told)).catch(() => undefined);
  }
  if (timedOut) {
    const seconds = Math.round((options.timeoutMs ?? 0) / 100) / 10;
    throw new CrosstalkError('TIMEOUT', `timed out after ${seconds} s waiting in ${options.id}`, { details: { conversation: options.id, session: options.session } });
  }
  return { result: 'interrupted', conversation: last };
}
