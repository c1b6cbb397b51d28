// What each joined session is doing, as its coding agent's hooks tell (core's session state
// machine), with since when and the last signal. A wake-up handed over counts as work until the
// session's own hooks say otherwise: the prompt it makes is reported a moment later, and a second
// turn must not find the session idle in between. Times are plain numbers; the owner keeps the clock.
import { nextSessionState, type SessionSignal, type SessionState } from '@crosstalk/core';

export interface SessionActivity {
  state: SessionState;
  /** When the session entered this state (ms). */
  since: number;
  /** The last hook event and when it came; null before the first. */
  lastSignal: { event: string; at: number } | null;
}

/** A change of state, reported to the owner. */
export interface ActivityChange {
  session: string;
  before: SessionState;
  after: SessionState;
}

interface Entry extends SessionActivity {
  /** A handed-over wake-up counts as work until then, unless a hook speaks first. */
  assumedUntil: number | null;
  /** The state to go back to when the assumption runs out unconfirmed. */
  assumedFrom: SessionState | null;
}

export class SessionActivities {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly startedAt: number) {}

  /** The session's activity; `unknown` since the agent started when no hook has spoken. */
  get(session: string): SessionActivity {
    const e = this.entries.get(session);
    return e ? { state: e.state, since: e.since, lastSignal: e.lastSignal } : { state: 'unknown', since: this.startedAt, lastSignal: null };
  }

  /** Whether any hook of this session has spoken since the agent started. */
  hooked(session: string): boolean {
    return this.entries.get(session)?.lastSignal != null;
  }

  /** A hook event; a signal moves the state, any event counts as the last signal. */
  signal(session: string, event: string, signal: SessionSignal | null, at: number): ActivityChange | null {
    const e = this.entry(session, at);
    e.lastSignal = { event, at };
    if (signal === null) return null;
    e.assumedUntil = null;
    e.assumedFrom = null;
    return this.move(session, e, nextSessionState(e.state, signal), at);
  }

  /** A wake-up was handed over: working until `until`, unless a hook says otherwise first. */
  assumeWorking(session: string, at: number, until: number): ActivityChange | null {
    const e = this.entry(session, at);
    if (e.state === 'gone') return null;
    e.assumedFrom ??= e.state;
    e.assumedUntil = until;
    return this.move(session, e, 'working', at);
  }

  /** Assumptions no hook confirmed by `now` are dropped; the changes that makes. */
  expire(now: number): ActivityChange[] {
    const changes: ActivityChange[] = [];
    for (const [session, e] of this.entries) {
      if (e.assumedUntil === null || e.assumedUntil > now) continue;
      const back = e.assumedFrom ?? 'unknown';
      e.assumedUntil = null;
      e.assumedFrom = null;
      const change = this.move(session, e, back, now);
      if (change) changes.push(change);
    }
    return changes;
  }

  /** When the next assumption runs out, if any. */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const e of this.entries.values()) if (e.assumedUntil !== null && (next === null || e.assumedUntil < next)) next = e.assumedUntil;
    return next;
  }

  /** A session that left this host is forgotten. */
  forget(session: string): void {
    this.entries.delete(session);
  }

  private entry(session: string, at: number): Entry {
    let e = this.entries.get(session);
    if (!e) this.entries.set(session, (e = { state: 'unknown', since: at, lastSignal: null, assumedUntil: null, assumedFrom: null }));
    return e;
  }

  private move(session: string, e: Entry, after: SessionState, at: number): ActivityChange | null {
    const before = e.state;
    if (before === after) return null;
    e.state = after;
    e.since = at;
    return { session, before, after };
  }
}
