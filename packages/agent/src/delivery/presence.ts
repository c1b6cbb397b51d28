// Presence of the local sessions, as the wake adapter's probe sees their terminals, reported to
// the relay when it changes (and again after every reconnect).
import type { WakeTarget } from '@crosstalk/core';
import type { WakeAdapter } from '../terminals/index.js';

export type Presence = Record<string, 'online' | 'offline'>;

export class PresenceTracker {
  private last: Presence = {};
  private probing: Promise<Presence | null> | null = null;

  constructor(
    private readonly adapter: Pick<WakeAdapter, 'probe'>,
    private readonly sessions: () => Array<{ name: string; wake: WakeTarget }>,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  get current(): Presence {
    return this.last;
  }

  /**
   * Probes every local session with a terminal; returns the new presence when it changed (or
   * always, with `force`), else null. Poll-only sessions have no terminal to probe and are left out.
   */
  refresh(force = false): Promise<Presence | null> {
    if (this.probing) return this.probing.then(() => this.refresh(force));
    this.probing = this.probe(force).finally(() => (this.probing = null));
    return this.probing;
  }

  private async probe(force: boolean): Promise<Presence | null> {
    const next: Presence = {};
    await Promise.all(
      this.sessions()
        .filter((s) => s.wake.type !== 'none')
        .map(async (s) => {
          const liveness = await this.adapter.probe(s.wake).catch((err: unknown) => {
            // A probe that breaks says nothing about the terminal; the session shows offline meanwhile.
            this.log.warn({ session: s.name, err: String(err) }, 'presence probe failed');
            return 'gone' as const;
          });
          next[s.name] = liveness === 'alive' ? 'online' : 'offline';
        }),
    );
    const changed = !samePresence(this.last, next);
    this.last = next;
    return changed || force ? next : null;
  }
}

function samePresence(a: Presence, b: Presence): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
