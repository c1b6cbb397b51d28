// What each host's turns weigh, folded from the log with everything else, so the quotas are
// counted at start without reading any body again: the bytes of turns each host stored in all,
// and the posts of the last hour (older ones can no longer count against an hourly limit).

const HOUR_MS = 3_600_000;

export interface RecentPost {
  host: string;
  /** Milliseconds since the epoch. */
  at: number;
  bytes: number;
}

export class TurnUsage {
  readonly stored = new Map<string, number>();
  private posts: RecentPost[] = [];
  /** Posts before this index are older than the hour. */
  private head = 0;
  private newest = 0;

  /** Posts at or before this time (ISO, as the relay stamps them) no longer count; moved on now and then. */
  private cutoff = '';
  private counted = 0;

  /** Counts a turn of `host` weighing `bytes` (turnBytes); its bytes. */
  count(host: string, bytes: number, atIso: string): number {
    this.stored.set(host, (this.stored.get(host) ?? 0) + bytes);
    // Relay timestamps compare as strings: an old post (all of them, replaying an old log) costs no date parsing.
    if ((this.counted++ & 1023) === 0) this.cutoff = new Date(Math.max(this.newest, Date.now()) - HOUR_MS).toISOString();
    if (atIso <= this.cutoff) return bytes;
    const at = Date.parse(atIso);
    if (!Number.isFinite(at)) return bytes;
    this.posts.push({ host, at, bytes });
    if (at > this.newest) this.newest = at;
    const since = Math.max(this.newest, Date.now()) - HOUR_MS;
    while (this.head < this.posts.length && (this.posts[this.head] as RecentPost).at <= since) this.head++;
    if (this.head > 1024 && this.head * 2 > this.posts.length) {
      this.posts = this.posts.slice(this.head);
      this.head = 0;
    }
    return bytes;
  }

  /** The posts of the last hour (or of the hour before the newest, if the clock is behind it), oldest first. */
  get recent(): readonly RecentPost[] {
    return this.posts.slice(this.head);
  }

  /** A deleted conversation's turns are no longer stored: `hostBytes` is host, bytes, host, bytes… */
  release(hostBytes: ReadonlyArray<string | number>): void {
    for (let i = 0; i < hostBytes.length; i += 2) {
      const host = hostBytes[i] as string;
      this.stored.set(host, Math.max(0, (this.stored.get(host) ?? 0) - (hostBytes[i + 1] as number)));
    }
  }

  /** Puts back what a snapshot held. */
  restore(stored: Array<[string, number]>, recent: RecentPost[]): void {
    for (const [host, bytes] of stored) this.stored.set(host, bytes);
    this.posts = [...recent];
    this.head = 0;
    for (const p of recent) if (p.at > this.newest) this.newest = p.at;
  }
}
