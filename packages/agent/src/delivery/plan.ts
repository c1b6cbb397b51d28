// What to wake, decided from state alone: pure functions, so the rules are easy to test.
import { sessionsToWake, wakeText, type Conversation, type Receipt } from '@crosstalk/core';

/** `turn`: your turn; `limit`: the moderator holds the floor at the limit; `unanswered`: tell the moderator. */
export type WakeKind = 'turn' | 'limit' | 'unanswered';

export interface WakeSpec {
  kind: WakeKind;
  conversation: string;
  /** The turn number the woken session is expected to write (for `unanswered`: the silent one's). */
  turn: number;
  /** The session to type into. */
  session: string;
  /** `unanswered` only: the participant who did not answer. */
  silent?: string | undefined;
}

/** One wake-up per (kind, conversation, turn, session[, silent]), also across restarts. */
export function wakeKey(spec: WakeSpec): string {
  const base = `${spec.kind}:${spec.conversation}:${spec.turn}:${spec.session}`;
  return spec.silent ? `${base}:${spec.silent}` : base;
}

/** The wake-ups this conversation's current state asks of the local sessions. */
export function wakesFor(c: Conversation, isLocal: (session: string) => boolean): WakeSpec[] {
  const turn = c.turns.length + 1;
  const kind: WakeKind = c.status === 'at-limit' ? 'limit' : 'turn';
  return sessionsToWake(c)
    .filter(isLocal)
    .map((session) => ({ kind, conversation: c.id, turn, session }));
}

/**
 * The moderator's wake-up for a participant reported `unanswered`, or `gave-up` (its terminal
 * never got to an empty prompt: a dialog, a draft, a busy agent), if it is still due here.
 */
/**
 * Failures the moderator hears of: the session did not answer, its wake-up gave up, or it could
 * not be woken at all (its pane or coding agent is gone) — it will not take the turn until someone
 * acts. Not `no-wake-target`: that session polls with `crosstalk wait` by design.
 */
const TELLS_MODERATOR = /^(?:unanswered|gave-up|pane-gone|pane-dead|bare-shell|process-gone|not-submitted|wake-error)(?::|$)/;

export function wakeForUnanswered(receipt: Receipt, c: Conversation | undefined, isLocal: (session: string) => boolean): WakeSpec | null {
  if (receipt.status !== 'failed' || !receipt.reason || !TELLS_MODERATOR.test(receipt.reason)) return null;
  if (!c) return null;
  const spec: WakeSpec = { kind: 'unanswered', conversation: c.id, turn: receipt.turn, session: c.moderator, silent: receipt.session };
  return stillWanted(spec, c, isLocal) ? spec : null;
}

/** Whether a planned wake-up still makes sense: the conversation has not moved on. */
export function stillWanted(spec: WakeSpec, c: Conversation | undefined, isLocal: (session: string) => boolean): boolean {
  if (!c || !isLocal(spec.session)) return false;
  if (c.turns.length + 1 !== spec.turn) return false;
  switch (spec.kind) {
    case 'turn':
      return c.status === 'in-progress' && c.next.includes(spec.session);
    case 'limit':
      return c.status === 'at-limit' && c.moderator === spec.session;
    case 'unanswered':
      return (
        c.status === 'in-progress' && c.moderator === spec.session && spec.silent !== undefined && spec.silent !== spec.session && c.next.includes(spec.silent)
      );
  }
}

/** The fixed line typed into the terminal (core's template, sanitised there). */
export function wakeLine(spec: WakeSpec, c: Conversation, copyPath: string, attempt: number): string {
  switch (spec.kind) {
    case 'turn':
      return wakeText({ kind: 'turn', conversation: c.id, session: spec.session, turn: spec.turn, maxTurns: c.maxTurns, copyPath, attempt });
    case 'limit':
      return wakeText({ kind: 'limit', conversation: c.id, session: spec.session, maxTurns: c.maxTurns, copyPath, attempt });
    case 'unanswered':
      return wakeText({ kind: 'unanswered', conversation: c.id, session: spec.session, silent: spec.silent ?? '', copyPath, attempt });
  }
}

/** Whether a conversation has moved past a wake-up for good, so its record can go. */
export function pastForGood(spec: WakeSpec, c: Conversation | undefined): boolean {
  return !c || c.status === 'closed' || c.turns.length >= spec.turn;
}
