// The relay's own list of sessions (`GET /v1/sessions`): what the log does not hold — whether a
// session is online, and what it is doing once the relay reports that. Read when a page needs
// it (reused for a moment), and re-read every 5 s only while a Sessions page is open (presence and states are not in the log).
// While the relay cannot be asked, the sessions the log holds are shown, without presence.
import type { RelayClient } from '@crosstalk/client';
import { CrosstalkError } from '@crosstalk/core';
import type { SessionRow } from '../pages/sessions.js';
import type { LiveState } from './state.js';

const FRESH_MS = 2000;
const WATCH_MS = 5000;

export class SessionDirectory {
  private rows: SessionRow[] = [];
  private readAt = 0;
  private reading: Promise<SessionRow[]> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly watchers = new Set<() => void>();

  constructor(
    private readonly client: RelayClient,
    private readonly live: LiveState,
  ) {
    // A session joined or left: the next page reads the list again.
    live.subscribe((change) => {
      if (change.sessions) this.readAt = 0;
    });
  }

  /** The sessions as the log holds them: no presence, no state. */
  private fromLog(): SessionRow[] {
    return [...this.live.sessions()].map((s) => ({ name: s.name, host: s.host, kind: s.kind, wake: { type: s.wake.type }, joinedAt: s.joinedAt }));
  }

  /** The list, read again when older than a moment. */
  current(): Promise<SessionRow[]> {
    if (Date.now() - this.readAt < FRESH_MS) return Promise.resolve(this.rows);
    return this.refresh();
  }

  /** Reads the list now; a read already under way is shared. */
  refresh(): Promise<SessionRow[]> {
    this.reading ??= this.client
      .listSessions()
      .then((answer) => {
        const changed = JSON.stringify(answer.sessions) !== JSON.stringify(this.rows);
        this.rows = answer.sessions;
        this.readAt = Date.now();
        if (changed) for (const w of this.watchers) w();
        return this.rows;
      })
      .catch((err: unknown) => {
        if (err instanceof CrosstalkError) return this.fromLog();
        throw err;
      })
      .finally(() => (this.reading = null));
    return this.reading;
  }

  /** Calls `onChange` when a periodic read finds the list changed; returns the call that stops it. */
  watch(onChange: () => void): () => void {
    this.watchers.add(onChange);
    this.timer ??= setInterval(() => void this.refresh().catch(() => undefined), WATCH_MS);
    return () => {
      this.watchers.delete(onChange);
      if (this.watchers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  stop(): void {
    this.watchers.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
