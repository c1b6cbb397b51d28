// Per-host quotas: what one enrolled host may make the relay (and every other host's agent) keep.
// A rate limit bounds requests per second, not what they carry; within it one host could open
// thousands of conversations of 64 KiB bodies. Counted per host from the state at start and then
// from every committed event (at start from what the ledger folded: no body is read again): conversations it opened that are not closed, the UTF-8 bytes of
// turns (body and proposal) it posted in the last hour, and in all. A turn that would pass a
// limit is refused with QUOTA_EXCEEDED naming the limit; nothing is committed.
import { CrosstalkError, type Conversation, type ConversationStatus, type PendingEvent, type RelayEvent, type Turn, utf8Length } from '@crosstalk/core';

/** What the quotas are counted from at start: each conversation's opener and status, each host's turns. */
export interface FoldedUsage {
  conversations: Iterable<{ meta: { id: string; status: ConversationStatus }; openerHost: string }>;
  /** Bytes of turns stored, by host. */
  stored: ReadonlyMap<string, number>;
  /** Recent posts, oldest first (at least the last hour's). */
  recent: Iterable<{ host: string; at: number; bytes: number }>;
}

export interface QuotaConfig {
  /** Conversations a host opened that are not closed yet. */
  openConversations: number;
  /** Bytes of turns (bodies and proposals) a host may post in any hour. */
  bytesPerHour: number;
  /** Bytes of turns a host may have stored at the relay in all. */
  storedBytes: number;
}

export const DEFAULT_QUOTAS: QuotaConfig = {
  openConversations: 200,
  bytesPerHour: 32 * 1024 * 1024,
  storedBytes: 256 * 1024 * 1024,
};

const HOUR_MS = 3_600_000;

interface HostUsage {
  open: Set<string>;
  stored: number;
  /** Posts of the last hour, oldest first, and their sum. */
  recent: Array<{ at: number; bytes: number }>;
  recentBytes: number;
}

const MIB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MIB ? `${(bytes / MIB).toFixed(bytes % MIB === 0 ? 0 : 1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/**
 * The turn weighed last, and its weight: a post's turn is weighed three times in a row (the quota
 * check, the fold, the count after commit), and a turn does not change once decided.
 */
let lastWeighed: object | null = null;
let lastWeight = 0;

export function turnBytes(t: Pick<Turn, 'body' | 'proposes'>): number {
  if (t === lastWeighed) return lastWeight;
  lastWeight = utf8Length(t.body) + (t.proposes !== undefined && t.proposes !== t.body ? utf8Length(t.proposes) : 0);
  lastWeighed = t;
  return lastWeight;
}

export class HostQuotas {
  private readonly usage = new Map<string, HostUsage>();

  constructor(
    private readonly config: QuotaConfig | false,
    private readonly now: () => number,
  ) {}

  /** Counts what the log already holds (at start: open conversations, stored bytes, the last hour's posts). */
  load(folded: FoldedUsage): void {
    const since = this.now() - HOUR_MS;
    for (const c of folded.conversations) if (c.meta.status !== 'closed') this.of(c.openerHost).open.add(c.meta.id);
    for (const [host, bytes] of folded.stored) this.of(host).stored += bytes;
    for (const p of folded.recent) {
      if (p.at <= since) continue;
      const u = this.of(p.host);
      u.recent.push({ at: p.at, bytes: p.bytes });
      u.recentBytes += p.bytes;
    }
    for (const u of this.usage.values()) u.recent.sort((a, b) => a.at - b.at);
  }

  /** Follows a committed event; `openerOf` names the host that opened a conversation. */
  apply(event: RelayEvent, openerOf: (conversation: string) => string | undefined): void {
    if (event.type === 'conversation.opened') {
      const first = event.conversation.turns[0];
      if (!first) return;
      this.of(first.host).open.add(event.conversation.id);
      this.count(first.host, turnBytes(first), Date.parse(event.at), 0);
    } else if (event.type === 'turn.posted') {
      this.count(event.turn.host, turnBytes(event.turn), Date.parse(event.at), 0);
    } else if (event.type === 'conversation.closed') {
      const opener = openerOf(event.conversation);
      if (opener) this.usage.get(opener)?.open.delete(event.conversation);
    }
  }

  /** A deleted conversation's turns are no longer stored, and it is no longer open. */
  release(c: Conversation): void {
    const opener = c.turns[0]?.host;
    if (opener) this.usage.get(opener)?.open.delete(c.id);
    for (const t of c.turns) {
      const u = this.usage.get(t.host);
      if (u) u.stored = Math.max(0, u.stored - turnBytes(t));
    }
  }

  /** Throws QUOTA_EXCEEDED when committing these events (an open or a post by `host`) would pass a limit. */
  admit(host: string, events: readonly PendingEvent[]): void {
    if (this.config === false) return;
    const limits = this.config;
    let bytes = 0;
    let opens = 0;
    for (const e of events) {
      if (e.type === 'conversation.opened') {
        opens++;
        const first = e.conversation.turns[0];
        if (first) bytes += turnBytes(first);
      } else if (e.type === 'turn.posted') bytes += turnBytes(e.turn);
    }
    const u = this.of(host);
    this.prune(u);
    const refuse = (limit: keyof QuotaConfig, message: string, used: number) => {
      throw new CrosstalkError('QUOTA_EXCEEDED', `host ${host} ${message}`, { details: { limit, value: limits[limit], used } });
    };
    if (opens > 0 && u.open.size + opens > limits.openConversations)
      refuse('openConversations', `has ${u.open.size} open conversations; the limit (openConversations) is ${limits.openConversations}`, u.open.size);
    if (u.recentBytes + bytes > limits.bytesPerHour)
      refuse('bytesPerHour', `posted ${size(u.recentBytes)} in the last hour; the limit (bytesPerHour) is ${size(limits.bytesPerHour)}`, u.recentBytes);
    if (u.stored + bytes > limits.storedBytes)
      refuse('storedBytes', `has ${size(u.stored)} of turns stored; the limit (storedBytes) is ${size(limits.storedBytes)}`, u.stored);
  }

  /** What a host uses now, for tests and diagnostics. */
  used(host: string): { openConversations: number; bytesPerHour: number; storedBytes: number } {
    const u = this.of(host);
    this.prune(u);
    return { openConversations: u.open.size, bytesPerHour: u.recentBytes, storedBytes: u.stored };
  }

  private of(host: string): HostUsage {
    let u = this.usage.get(host);
    if (!u) this.usage.set(host, (u = { open: new Set(), stored: 0, recent: [], recentBytes: 0 }));
    return u;
  }

  private count(host: string, bytes: number, at: number, since: number): void {
    const u = this.of(host);
    u.stored += bytes;
    if (Number.isFinite(at) && at > since) {
      u.recent.push({ at, bytes });
      u.recentBytes += bytes;
    }
  }

  private prune(u: HostUsage): void {
    const since = this.now() - HOUR_MS;
    let drop = 0;
    while (drop < u.recent.length && (u.recent[drop] as { at: number }).at <= since) u.recentBytes -= (u.recent[drop++] as { bytes: number }).bytes;
    if (drop > 0) u.recent.splice(0, drop);
  }
}
