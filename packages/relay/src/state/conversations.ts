// The conversations as the relay keeps them in memory: everything but what their turns say. A
// turn's record stays in the log; per turn the table keeps only the seq of the event that added it
// (where to read it), its author and whom it handed the floor (what the rules look at): two
// numbers, 16 bytes, in one array per conversation, names and lists of names numbered once. The
// table is the `conversations` map of the relay's state, so core's rules decide against it
// unchanged: `get` gives the conversation with a view of its turns (turns-view.ts) that builds a
// `LoggedTurn` only when the rules read it, whose body, host and time are read from the log if
// anything asks for them (a repeated idempotency key compares bodies; nothing else in the rules
// does). Reads for clients go through the ledger, which reads every turn's record at once (see
// ledger.ts).
import { EventGapError, type Conversation, type ConversationSummary, type RelayEvent, type Turn } from '@crosstalk/core';
import type { IdempotencyIndex } from './idempotency.js';
import { LoggedTurn, turnsView, type TurnLoader } from './turns-view.js';

export type { TurnLoader } from './turns-view.js';

/** A conversation without its turns. */
export type ConversationMeta = Omit<Conversation, 'turns'>;

export interface ConversationEntry {
  meta: ConversationMeta;
  /**
   * Two numbers a turn (turn n at 2n - 2): the seq of the event that added it, then its author's
   * and its `next`'s numbers in the interner, as author * 2^26 + next.
   */
  turns: number[];
  /** Host of turn 1 (the opener's), for the open-conversation quota. */
  openerHost: string;
  /** Time of the last turn. */
  lastAt: string;
  /** Bytes of its turns by host (host, bytes, host, bytes…), released when it is deleted. */
  hostBytes: Array<string | number>;
}

/** A conversation entry as a snapshot line holds it: names spelled out. */
export interface EntryLine {
  c: ConversationMeta;
  /** Seq, author and next of each turn. */
  s: number[];
  a: string[];
  x: string[][];
  h: string;
  l: string;
  /** Bytes by host. */
  b: Array<string | number>;
}

const LIST_BITS = 2 ** 26;

type EventOf<T extends RelayEvent['type']> = Extract<RelayEvent, { type: T }>;
export type ConversationEvent = EventOf<'conversation.opened' | 'turn.posted' | 'conversation.moderated' | 'conversation.closed' | 'conversation.archived'>;

export function isConversationEvent(event: RelayEvent): event is ConversationEvent {
  const t = event.type;
  return t === 'conversation.opened' || t === 'turn.posted' || t === 'conversation.moderated' || t === 'conversation.closed' || t === 'conversation.archived';
}

/**
 * One shared, numbered copy of each name and list of names: turns repeat a handful of them. Lists
 * are frozen, as they are shared.
 */
class Interner {
  private readonly names = new Map<string, string>();
  readonly authors: string[] = [];
  private readonly authorIds = new Map<string, number>();
  readonly lists: string[][] = [];
  private readonly listIds = new Map<string, number>();
  /** Lists of one name, the usual `next`, found without building a key. */
  private readonly singleIds = new Map<string, number>();

  name(s: string): string {
    const known = this.names.get(s);
    if (known !== undefined) return known;
    this.names.set(s, s);
    return s;
  }

  authorId(s: string): number {
    let id = this.authorIds.get(s);
    if (id === undefined) {
      id = this.authors.push(this.name(s)) - 1;
      this.authorIds.set(s, id);
      if (id >= LIST_BITS / 64) throw new Error('too many authors to number');
    }
    return id;
  }

  listId(names: string[]): number {
    const single = names.length === 1 ? (names[0] as string) : null;
    const key = single ?? names.join('\n');
    let id = single !== null ? this.singleIds.get(single) : this.listIds.get(key);
    if (id === undefined) {
      id = this.lists.push(Object.freeze(names.map((n) => this.name(n))) as string[]) - 1;
      if (single !== null) this.singleIds.set(single, id);
      else this.listIds.set(key, id);
      if (id >= LIST_BITS) throw new Error('too many lists of names to number');
    }
    return id;
  }

  list(names: string[]): string[] {
    return this.lists[this.listId(names)] as string[];
  }
}

function metaOf(c: Conversation, seq: number): ConversationMeta {
  return {
    id: c.id,
    topic: c.topic,
    openedBy: c.openedBy,
    openedAt: c.openedAt,
    participants: [...c.participants],
    moderator: c.moderator,
    status: c.status,
    maxTurns: c.maxTurns,
    next: [...c.next],
    notes: c.notes.map((n) => ({ ...n })),
    proposal: c.proposal ? { ...c.proposal, agreed: [...c.proposal.agreed] } : null,
    decision: c.decision,
    resolution: c.resolution,
    seq,
    ...(c.archived ? { archived: true as const } : {}),
  };
}

/** Time of the conversation's latest change (relay timestamps compare as strings). */
function latestChange(e: ConversationEntry): string {
  const m = e.meta;
  let latest = m.openedAt;
  for (const at of [e.lastAt, m.notes[m.notes.length - 1]?.at, m.resolution?.at, m.decision?.at]) if (at !== undefined && at > latest) latest = at;
  return latest;
}

/**
 * The relay's conversations by id, a `Map` to core's rules. Changed only by folding events
 * (`apply`) or restoring a snapshot (`restore`); `set` and `delete` are refused.
 */
export class ConversationTable implements Map<string, Conversation> {
  private readonly byId = new Map<string, ConversationEntry>();
  private readonly interner = new Interner();
  readonly [Symbol.toStringTag] = 'ConversationTable';

  constructor(private readonly load: TurnLoader) {}

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  entry(id: string): ConversationEntry | undefined {
    return this.byId.get(id);
  }

  /** The conversation as core's rules see it (built anew on each call, its turns read-only; O(1) in the turns held). */
  get(id: string): Conversation | undefined {
    const e = this.byId.get(id);
    return e ? this.build(e) : undefined;
  }

  private build(e: ConversationEntry): Conversation {
    const m = e.meta;
    const { authors, lists } = this.interner;
    const entryTurns = e.turns;
    const last = entryTurns.length / 2 - 1;
    const lastAt = e.lastAt;
    // Built when read: a post's rules read the count, the last turn and now and then one more.
    const turns = turnsView(entryTurns.length / 2, (i) => {
      const who = entryTurns[2 * i + 1] as number;
      const author = authors[Math.floor(who / LIST_BITS)] as string;
      const next = lists[who % LIST_BITS] as string[];
      return new LoggedTurn(i + 1, author, next, entryTurns[2 * i] as number, this.load, i === last ? lastAt : undefined) as unknown as Turn;
    });
    return {
      id: m.id,
      topic: m.topic,
      openedBy: m.openedBy,
      openedAt: m.openedAt,
      participants: m.participants,
      moderator: m.moderator,
      status: m.status,
      maxTurns: m.maxTurns,
      next: m.next,
      turns,
      notes: m.notes,
      proposal: m.proposal,
      decision: m.decision,
      resolution: m.resolution,
      seq: m.seq,
      ...(m.archived ? { archived: true as const } : {}),
    };
  }

  /** The list view of one conversation, from memory alone. */
  summary(e: ConversationEntry): ConversationSummary {
    const m = e.meta;
    return {
      id: m.id,
      topic: m.topic,
      status: m.status,
      participants: [...m.participants],
      moderator: m.moderator,
      next: [...m.next],
      turns: e.turns.length / 2,
      maxTurns: m.maxTurns,
      openedBy: m.openedBy,
      openedAt: m.openedAt,
      seq: m.seq,
      updatedAt: latestChange(e),
      ...(m.archived ? { archived: true as const } : {}),
    };
  }

  allEntries(): IterableIterator<ConversationEntry> {
    return this.byId.values();
  }

  turnCount(e: ConversationEntry): number {
    return e.turns.length / 2;
  }

  /** Seq of the event that added turn `n`. */
  turnSeq(e: ConversationEntry, n: number): number | undefined {
    return n >= 1 && n <= e.turns.length / 2 ? e.turns[2 * n - 2] : undefined;
  }

  /** Gives every conversation's turn array exactly the room it uses (after a replay, growing arrays keep a third more). */
  trim(): void {
    for (const e of this.byId.values()) {
      // A closed conversation's arrays were trimmed when it closed: copying them again only makes garbage.
      if (e.meta.status === 'closed') continue;
      e.turns = e.turns.slice();
      e.hostBytes = e.hostBytes.slice();
    }
  }

  private pushTurn(e: ConversationEntry, seq: number, t: Pick<Turn, 'author' | 'next'>): void {
    e.turns.push(seq, this.interner.authorId(t.author) * LIST_BITS + this.interner.listId(t.next));
  }

  /** Folds a conversation event, as core's applyEvent does; the caller has checked its seq is new. */
  apply(event: ConversationEvent, idempotency: IdempotencyIndex): void {
    switch (event.type) {
      case 'conversation.opened': {
        const c = event.conversation;
        const first = c.turns[0];
        if (this.byId.has(c.id) || !first) return;
        const meta = metaOf(c, event.seq);
        // Names repeat across conversations: one shared copy of each (lists frozen, as they are shared).
        meta.next = this.interner.list(meta.next);
        meta.participants = this.interner.list(meta.participants);
        meta.openedBy = this.interner.name(meta.openedBy);
        meta.moderator = this.interner.name(meta.moderator);
        const e: ConversationEntry = { meta, turns: [], openerHost: this.interner.name(first.host), lastAt: first.at, hostBytes: [] };
        this.pushTurn(e, event.seq, first);
        this.byId.set(c.id, e);
        idempotency.add(event.key, event.seq);
        return;
      }
      case 'turn.posted': {
        const e = this.of(event.conversation, event.seq);
        const count = e.turns.length / 2;
        if (event.turn.n <= count) return;
        if (event.turn.n > count + 1) throw new EventGapError(event.conversation, event.seq, `turn ${event.turn.n} arrived after turn ${count}`);
        this.pushTurn(e, event.seq, event.turn);
        e.lastAt = event.turn.at;
        const m = e.meta;
        m.status = event.status;
        m.next = this.interner.list(event.next);
        m.proposal = event.proposal;
        m.decision = event.decision;
        m.seq = event.seq;
        idempotency.add(event.key, event.seq);
        return;
      }
      case 'conversation.moderated': {
        const e = this.of(event.conversation, event.seq);
        const m = e.meta;
        if (event.seq <= m.seq) return;
        Object.assign(m, {
          participants: this.interner.list(event.participants),
          next: this.interner.list(event.next),
          maxTurns: event.maxTurns,
          status: event.status,
        });
        Object.assign(m, { proposal: event.proposal, decision: event.decision, seq: event.seq });
        m.notes.push({ afterTurn: e.turns.length / 2, by: event.by, at: event.at, text: event.note });
        return;
      }
      case 'conversation.archived': {
        const m = this.of(event.conversation, event.seq).meta;
        if (event.seq <= m.seq) return;
        m.archived = true;
        m.seq = event.seq;
        return;
      }
      case 'conversation.closed': {
        const e = this.of(event.conversation, event.seq);
        const m = e.meta;
        if (event.seq <= m.seq) return;
        Object.assign(m, {
          status: 'closed',
          next: [],
          resolution: { text: event.resolution, by: this.interner.name(event.by), at: event.at },
          seq: event.seq,
        });
        // A closed conversation takes no more turns: its arrays need no room to grow. Trimmed now,
        // while the copies they replace are young, rather than all at once after a replay.
        e.turns = e.turns.slice();
        e.hostBytes = e.hostBytes.slice();
        return;
      }
    }
  }

  /** An entry as a snapshot line. */
  line(e: ConversationEntry): EntryLine {
    const s: number[] = [];
    const a: string[] = [];
    const x: string[][] = [];
    for (let i = 0; i < e.turns.length; i += 2) {
      const who = e.turns[i + 1] as number;
      s.push(e.turns[i] as number);
      a.push(this.interner.authors[Math.floor(who / LIST_BITS)] as string);
      x.push(this.interner.lists[who % LIST_BITS] as string[]);
    }
    return { c: e.meta, s, a, x, h: e.openerHost, l: e.lastAt, b: e.hostBytes };
  }

  /** Puts back an entry a snapshot line held (checked by the caller). */
  restore(line: EntryLine): void {
    const e: ConversationEntry = { meta: line.c, turns: [], openerHost: this.interner.name(line.h), lastAt: line.l, hostBytes: line.b };
    e.meta.next = this.interner.list(e.meta.next);
    e.meta.participants = this.interner.list(e.meta.participants);
    e.meta.openedBy = this.interner.name(e.meta.openedBy);
    e.meta.moderator = this.interner.name(e.meta.moderator);
    for (let i = 0; i < line.s.length; i++) this.pushTurn(e, line.s[i] as number, { author: line.a[i] as string, next: line.x[i] as string[] });
    e.turns = e.turns.slice();
    this.byId.set(e.meta.id, e);
  }

  /** Adds a turn's bytes to its conversation's count for its host. */
  addBytes(id: string, host: string, bytes: number): void {
    const hb = this.byId.get(id)?.hostBytes;
    if (!hb) return;
    for (let i = 0; i < hb.length; i += 2) {
      if (hb[i] === host) {
        hb[i + 1] = (hb[i + 1] as number) + bytes;
        return;
      }
    }
    hb.push(this.interner.name(host), bytes);
  }

  /** A deleted conversation leaves the table (its tombstone is folded). */
  remove(id: string): void {
    this.byId.delete(id);
  }

  private of(id: string, seq: number): ConversationEntry {
    const e = this.byId.get(id);
    if (!e) throw new EventGapError(id, seq, 'the conversation was never opened here');
    return e;
  }

  set(): this {
    throw new Error('the relay changes conversations only by folding events');
  }

  delete(): boolean {
    throw new Error('the relay changes conversations only by folding events');
  }

  clear(): void {
    throw new Error('the relay changes conversations only by folding events');
  }

  *entries(): IterableIterator<[string, Conversation]> {
    for (const [id, e] of this.byId) yield [id, this.build(e)];
  }

  keys(): IterableIterator<string> {
    return this.byId.keys();
  }

  *values(): IterableIterator<Conversation> {
    for (const e of this.byId.values()) yield this.build(e);
  }

  [Symbol.iterator](): IterableIterator<[string, Conversation]> {
    return this.entries();
  }

  forEach(fn: (value: Conversation, key: string, map: Map<string, Conversation>) => void): void {
    for (const [id, c] of this.entries()) fn(c, id, this);
  }
}
