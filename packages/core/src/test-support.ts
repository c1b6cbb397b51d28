// Helpers for tests and benchmarks: a small in-memory "relay" that decides and applies, a
// seedable random generator, and waiting with a deadline. Kept in src so every package's tests
// and the end-to-end suites use the same ones; no I/O.
import { applyEvent, emptyState, type RelayState } from './state.js';
import type { Outcome } from './rules/index.js';
import type { PendingEvent, RelayEvent, Session, SessionKind } from './types.js';

export { waitFor, type Check, type WaitOptions } from './wait-for.js';

/** mulberry32: small, fast, seedable. Returns floats in [0, 1); the same seed gives the same run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class MemoryRelay {
  readonly state: RelayState = emptyState();
  readonly log: RelayEvent[] = [];
  private clock = Date.parse('2026-11-21T14:00:00Z');

  /** A deterministic timestamp one second after the previous one. */
  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  append(pending: PendingEvent): RelayEvent {
    const event: RelayEvent = { ...pending, seq: this.state.seq + 1 };
    applyEvent(this.state, event);
    this.log.push(event);
    return event;
  }

  /** Applies an outcome's events; returns them (empty for a duplicate). */
  commit(outcome: Outcome): RelayEvent[] {
    return outcome.kind === 'events' ? outcome.events.map((e) => this.append(e)) : [];
  }

  register(name: string, host: string, kind: SessionKind = 'other'): Session {
    const session: Session = { name, host, kind, wake: { type: 'none' }, joinedAt: this.now() };
    this.append({ type: 'session.registered', at: session.joinedAt, session });
    return session;
  }
}
