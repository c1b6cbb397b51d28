// Helpers for tests of code that folds events: a small in-memory "relay" that decides and applies.
// Kept in src so every package's tests can use the same one; it has no I/O.
import { applyEvent, emptyState, type RelayState } from './state.js';
import type { Outcome } from './rules/index.js';
import type { PendingEvent, RelayEvent, Session, SessionKind } from './types.js';

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
    const event = { ...pending, seq: this.state.seq + 1 } as RelayEvent;
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
