// Waiting until a conversation needs a session: shared by `wait` and `ask`.
import { CrosstalkError, sessionsToWake, type Conversation } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import type { RelayClient } from '@crosstalk/client';
import { markWaiting } from '@crosstalk/agent/waiting';
import { followConversation } from './follow.js';
import { isSystemError } from './system-error.js';

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
  /** Told when the mark for this host's agent could not be written; the wait goes on without it. */
  warn?: (line: string) => void;
}

/** Stops the follow on the caller's signal or at the timeout, and says which it was. */
function stopper(signal: AbortSignal, timeoutMs: number | undefined) {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? null
      : setTimeout(() => {
          timedOut = true;
          stop.abort();
        }, timeoutMs);
  return {
    signal: stop.signal,
    timedOut: () => timedOut,
    dispose: () => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

/** Runs a step on the mark; a file system failure only costs the mark, and is said. */
async function onMark<T>(options: WaitOptions, what: string, step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch (err) {
    if (!isSystemError(err)) throw err;
    options.warn?.(`could not ${what} in ${options.waitingDir} (${err.code}): this host's agent may type a wake-up line about ${options.id} meanwhile`);
    return null;
  }
}

interface Seen {
  last: Conversation | null;
  outcome: 'your-turn' | 'ended' | undefined;
}

/** Follows until `until` decides, the stop signal fires, or `until` throws (which is thrown on). */
async function followUntil(options: WaitOptions, signal: AbortSignal): Promise<Seen> {
  const until = options.until ?? ((c: Conversation) => judge(c, options.session));
  const seen: Seen = { last: null, outcome: undefined };
  let failure: { error: unknown } | undefined;
  const how = await followConversation({
    client: options.client,
    signer: options.signer,
    id: options.id,
    signal,
    onUpdate: (c) => {
      const first = seen.last === null;
      seen.last = c;
      try {
        seen.outcome = until(c);
      } catch (error) {
        failure = { error };
        return true;
      }
      if (seen.outcome === undefined && first) options.onPending?.(c);
      return seen.outcome !== undefined;
    },
  });
  if (failure) throw failure.error;
  return how === 'done' ? seen : { last: seen.last, outcome: undefined };
}

export async function waitForTurn(options: WaitOptions): Promise<WaitResult> {
  const stop = stopper(options.signal, options.timeoutMs);
  // Marked while it waits, so this host's agent types no line about the turn it returns with.
  const mark = await onMark(options, `mark ${options.session} as waiting`, () =>
    markWaiting(options.waitingDir, { session: options.session, conversation: options.id, pid: options.pid, since: new Date().toISOString() }),
  );
  let told: number | null = null;
  let seen: Seen;
  try {
    seen = await followUntil(options, stop.signal);
    if (seen.outcome === 'your-turn' && seen.last) told = seen.last.turns.length + 1;
  } finally {
    stop.dispose();
    if (mark)
      await onMark(options, told === null ? 'remove the waiting mark' : `record that turn ${told} was told`, () =>
        told === null ? mark.release() : mark.told(told),
      );
  }
  if (seen.outcome !== undefined && seen.last) return { result: seen.outcome, conversation: seen.last };
  if (stop.timedOut()) {
    const seconds = Math.round((options.timeoutMs ?? 0) / 100) / 10;
    throw new CrosstalkError('TIMEOUT', `timed out after ${seconds} s waiting in ${options.id}`, {
      details: { conversation: options.id, session: options.session },
    });
  }
  return { result: 'interrupted', conversation: seen.last };
}
