// What a session has not seen of a conversation yet: everything after its own last turn. A
// coding agent that took part holds the earlier turns in its context already; reading only these
// makes a turn cost what it adds, not the whole conversation again.
import type { Conversation, Note, Turn } from './types.js';

export interface Unseen {
  /** The session's own last turn, 0 when it has not spoken: everything after it is new. */
  since: number;
  turns: Turn[];
  /** Moderation notes made after that turn (a hand-off, an extension, …), in order. */
  notes: Note[];
}

export function unseenBy(c: Conversation, session: string): Unseen {
  const since = c.turns.reduce((last, t) => (t.author === session ? t.n : last), 0);
  return { since, turns: c.turns.filter((t) => t.n > since), notes: c.notes.filter((n) => n.afterTurn >= since) };
}
