// What the pages say about a conversation, decided once from its state: who holds the floor,
// whether that is a person at this host ("your turn"), when it last moved. Pure.
import type { Conversation, Session } from '@crosstalk/core';

/** The sessions whose move it is: the participants in `next`, or the moderator at the limit. */
export function floorHolders(c: Conversation): string[] {
  if (c.status === 'in-progress') return c.next;
  if (c.status === 'at-limit') return [c.moderator];
  return [];
}

/** The people at this host (sessions of kind `human` on it), by name. */
export function humansAt(sessions: Iterable<Session>, host: string): string[] {
  const out: string[] = [];
  for (const s of sessions) if (s.host === host && s.kind === 'human') out.push(s.name);
  return out.sort();
}

/** The people at this host whose move it is in `c`. */
export function yourTurn(c: Conversation, humans: readonly string[]): string[] {
  return floorHolders(c).filter((s) => humans.includes(s));
}

/** When the conversation last changed: its last turn, note or close. */
export function lastActivity(c: Conversation): string {
  let at = c.openedAt;
  const turn = c.turns.at(-1);
  const note = c.notes.at(-1);
  for (const t of [turn?.at, note?.at, c.resolution?.at]) if (t && t > at) at = t;
  return at;
}

/** `2026-11-21 14:03:07` (UTC): short, sortable, the same on every machine. */
export function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The tab title: it says when a person here holds the floor. */
export function titleFor(what: string, mine: readonly string[]): string {
  if (mine.length === 0) return `${what} · crosstalk`;
  return `Your turn (${mine.join(', ')}) · ${what} · crosstalk`;
}
