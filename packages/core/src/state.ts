import type { Conversation, Host, RelayEvent, Session } from './types.js';

/** The relay's whole state, rebuilt by folding the log with applyEvent. */
export interface RelayState {
  seq: number;
  conversations: Map<string, Conversation>;
  sessions: Map<string, Session>;
  hosts: Map<string, Host>;
  invites: Map<string, { hash: string; host: string | null; expiresAt: string; usedBy: string | null }>;
  /** `host:key` → what that idempotent request produced. */
  idempotency: Map<string, { conversation: string; turn: number }>;
}

export function emptyState(): RelayState {
  return {
    seq: 0,
    conversations: new Map(),
    sessions: new Map(),
    hosts: new Map(),
    invites: new Map(),
    idempotency: new Map(),
  };
}

/** An event that cannot apply because earlier ones are missing: the receiver must replay. */
export class EventGapError extends Error {
  constructor(
    readonly conversation: string,
    readonly seq: number,
    detail: string,
  ) {
    super(`event ${seq} for ${conversation} cannot apply: ${detail}`);
    this.name = 'EventGapError';
  }
}

/**
 * Folds one event into the state, in place, and returns the conversation it touched (if any).
 * Events carry their results (next, status, …), so applying never re-decides a rule: every
 * host that applies the same events holds the same state.
 * Applying an event at or below the state's seq, or a turn the conversation already holds, is a
 * no-op, which makes replay idempotent. A missing predecessor throws EventGapError.
 */
export function applyEvent(state: RelayState, event: RelayEvent): Conversation | undefined {
  if (event.seq <= state.seq) return undefined;
  const touched = applyChange(state, event);
  state.seq = event.seq;
  return touched;
}

type EventOf<T extends RelayEvent['type']> = Extract<RelayEvent, { type: T }>;

/** Conversation events change one conversation; the others change the registries. */
function applyChange(state: RelayState, event: RelayEvent): Conversation | undefined {
  switch (event.type) {
    case 'conversation.opened':
      return applyOpened(state, event);
    case 'turn.posted':
      return applyTurn(state, event);
    case 'conversation.moderated':
      return applyModerated(state, event);
    case 'conversation.closed':
      return applyClosed(state, event);
    case 'conversation.archived':
      return applyArchived(state, event);
    case 'conversation.deleted':
      // The tombstone; a conversation this state never held (its events purged) is no gap.
      state.conversations.delete(event.conversation);
      return undefined;
    case 'conversation.purged':
      return undefined;
    default:
      applyRegistry(state, event);
      return undefined;
  }
}

/** The conversation an event belongs to; its absence means an event in between never arrived. */
function conversationOf(state: RelayState, id: string, seq: number): Conversation {
  const c = state.conversations.get(id);
  if (!c) throw new EventGapError(id, seq, 'the conversation was never opened here');
  return c;
}

function applyOpened(state: RelayState, event: EventOf<'conversation.opened'>): Conversation | undefined {
  if (state.conversations.has(event.conversation.id)) return undefined;
  const c = structuredCloneConversation(event.conversation);
  c.seq = event.seq;
  state.conversations.set(c.id, c);
  state.idempotency.set(event.key, { conversation: c.id, turn: 1 });
  return c;
}

function applyTurn(state: RelayState, event: EventOf<'turn.posted'>): Conversation | undefined {
  const c = conversationOf(state, event.conversation, event.seq);
  if (event.turn.n <= c.turns.length) return undefined;
  if (event.turn.n > c.turns.length + 1) {
    throw new EventGapError(event.conversation, event.seq, `turn ${event.turn.n} arrived after turn ${c.turns.length}`);
  }
  c.turns.push(event.turn);
  c.status = event.status;
  c.next = event.next;
  c.proposal = event.proposal;
  c.decision = event.decision;
  c.seq = event.seq;
  state.idempotency.set(event.key, { conversation: c.id, turn: event.turn.n });
  return c;
}

function applyModerated(state: RelayState, event: EventOf<'conversation.moderated'>): Conversation | undefined {
  const c = conversationOf(state, event.conversation, event.seq);
  if (event.seq <= c.seq) return undefined;
  c.participants = event.participants;
  c.next = event.next;
  c.maxTurns = event.maxTurns;
  c.status = event.status;
  c.proposal = event.proposal;
  c.decision = event.decision;
  c.notes.push({ afterTurn: c.turns.length, by: event.by, at: event.at, text: event.note });
  c.seq = event.seq;
  return c;
}

function applyClosed(state: RelayState, event: EventOf<'conversation.closed'>): Conversation | undefined {
  const c = conversationOf(state, event.conversation, event.seq);
  if (event.seq <= c.seq) return undefined;
  c.status = 'closed';
  c.next = [];
  c.resolution = { text: event.resolution, by: event.by, at: event.at };
  c.seq = event.seq;
  return c;
}

function applyArchived(state: RelayState, event: EventOf<'conversation.archived'>): Conversation | undefined {
  const c = conversationOf(state, event.conversation, event.seq);
  if (event.seq <= c.seq) return undefined;
  c.archived = true;
  c.seq = event.seq;
  return c;
}

/** The conversation an event is about, if it is about one (every conversation event and receipts). */
export function conversationOfEvent(event: RelayEvent): string | null {
  switch (event.type) {
    case 'conversation.opened':
      return event.conversation.id;
    case 'receipt':
      return event.receipt.conversation;
    case 'turn.posted':
    case 'conversation.moderated':
    case 'conversation.closed':
    case 'conversation.archived':
    case 'conversation.deleted':
    case 'conversation.purged':
      return event.conversation;
    default:
      return null;
  }
}

/** Sessions, hosts and invites; a receipt, a withheld event, an admin key rotation, and a spawn or kill record (an audit entry) change no state. */
function applyRegistry(
  state: RelayState,
  event: EventOf<
    | 'session.registered'
    | 'session.unregistered'
    | 'host.enrolled'
    | 'host.revoked'
    | 'invite.created'
    | 'receipt'
    | 'withheld'
    | 'host.key-rotated'
    | 'admin.key-rotated'
    | 'spawn.requested'
    | 'spawn.resulted'
    | 'kill.requested'
    | 'kill.resulted'
  >,
): void {
  switch (event.type) {
    case 'session.registered':
      state.sessions.set(event.session.name, event.session);
      return;
    case 'session.unregistered':
      state.sessions.delete(event.session);
      return;
    case 'host.enrolled': {
      state.hosts.set(event.host, { name: event.host, publicKey: event.publicKey, enrolledAt: event.at, revokedAt: null });
      const invite = state.invites.get(event.invite);
      if (invite) invite.usedBy = event.host;
      return;
    }
    case 'host.revoked': {
      const host = state.hosts.get(event.host);
      if (host) host.revokedAt = event.at;
      for (const [name, s] of state.sessions) if (s.host === event.host) state.sessions.delete(name);
      return;
    }
    case 'invite.created':
      state.invites.set(event.invite, { hash: event.hash, host: event.host, expiresAt: event.expiresAt, usedBy: null });
      return;
    case 'host.key-rotated': {
      const host = state.hosts.get(event.host);
      if (host) {
        host.publicKey = event.publicKey;
        host.previousKey = { publicKey: event.previousKey, until: event.previousUntil };
      }
      return;
    }
    // The admin key lives in the relay's data dir; its event is the log's record of the change.
    case 'admin.key-rotated':
    case 'withheld':
    case 'receipt':
    case 'spawn.requested':
    case 'spawn.resulted':
    case 'kill.requested':
    case 'kill.resulted':
      return;
  }
}

function structuredCloneConversation(c: Conversation): Conversation {
  return {
    ...c,
    participants: [...c.participants],
    next: [...c.next],
    turns: c.turns.map((t) => ({ ...t, next: [...t.next] })),
    notes: c.notes.map((n) => ({ ...n })),
    proposal: c.proposal ? { ...c.proposal, agreed: [...c.proposal.agreed] } : null,
  };
}
