// The web view's copy of the relay's state: every event folded with core's applyEvent, as the
// host agent's replica does, plus what the agent keeps no record of (the receipts, per
// conversation and per session). Pages render from it; every change is told to the listeners,
// which turn it into Server-Sent Events. No I/O.
import { applyEvent, emptyState, type Conversation, type ReceiptEvent, type RelayEvent, type RelayState, type Session } from '@crosstalk/core';

/** What a batch of events changed. `all`: everything (the relay's log was replaced). */
export interface Change {
  conversations: ReadonlySet<string>;
  sessions: boolean;
  all: boolean;
  seq: number;
}

/** Receipts kept per conversation; the oldest go first. */
const RECEIPTS_PER_CONVERSATION = 400;

export class LiveState {
  private state: RelayState = emptyState();
  private readonly receipts = new Map<string, ReceiptEvent[]>();
  private readonly lastReceipts = new Map<string, ReceiptEvent>();
  private readonly listeners = new Set<(change: Change) => void>();

  get seq(): number {
    return this.state.seq;
  }

  conversation(id: string): Conversation | undefined {
    return this.state.conversations.get(id);
  }

  conversations(): Iterable<Conversation> {
    return this.state.conversations.values();
  }

  session(name: string): Session | undefined {
    return this.state.sessions.get(name);
  }

  sessions(): Iterable<Session> {
    return this.state.sessions.values();
  }

  /** The receipts reported for a conversation, oldest first. */
  receiptsOf(id: string): readonly ReceiptEvent[] {
    return this.receipts.get(id) ?? [];
  }

  /** The latest receipt about a session. */
  lastReceipt(session: string): ReceiptEvent | undefined {
    return this.lastReceipts.get(session);
  }

  /**
   * Folds the next events in. Returns the seq to replay after when an event does not follow
   * (events were lost on the way), else null.
   */
  apply(events: readonly RelayEvent[]): number | null {
    const conversations = new Set<string>();
    let sessions = false;
    let gapAfter: number | null = null;
    for (const event of events) {
      if (event.seq <= this.state.seq) continue;
      if (event.seq !== this.state.seq + 1) {
        gapAfter = this.state.seq;
        break;
      }
      const touched = applyEvent(this.state, event);
      if (touched) conversations.add(touched.id);
      if (event.type === 'receipt') {
        this.keepReceipt(event);
        conversations.add(event.receipt.conversation);
        sessions = true;
      } else if (event.type === 'session.registered' || event.type === 'session.unregistered' || event.type === 'host.revoked') {
        sessions = true;
      }
    }
    // Idempotency and invite books serve the relay's rules only.
    this.state.idempotency.clear();
    this.state.invites.clear();
    if (conversations.size > 0 || sessions) this.tell({ conversations, sessions, all: false, seq: this.state.seq });
    return gapAfter;
  }

  /** Forgets everything: the relay's log was replaced, and its events come again from the start. */
  reset(): void {
    this.state = emptyState();
    this.receipts.clear();
    this.lastReceipts.clear();
    this.tell({ conversations: new Set(), sessions: true, all: true, seq: 0 });
  }

  /**
   * Resolves true once `check` holds (looked at after every change), or false after `timeoutMs`:
   * an action waits for its own event before showing the page that should hold it.
   */
  until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const stop = this.subscribe(() => check() && done(true));
    });
  }

  /** Calls `listener` after every change; returns the call that stops it. */
  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private keepReceipt(event: ReceiptEvent): void {
    let list = this.receipts.get(event.receipt.conversation);
    if (!list) this.receipts.set(event.receipt.conversation, (list = []));
    list.push(event);
    if (list.length > RECEIPTS_PER_CONVERSATION) list.splice(0, list.length - RECEIPTS_PER_CONVERSATION);
    this.lastReceipts.set(event.receipt.session, event);
  }

  private tell(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }
}
