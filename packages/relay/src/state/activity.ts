// What the relay knows about each host's live presence: its agent link, how far that agent has
// applied the log, when it was last heard from, which of its sessions it reports offline, and
// what each of them is doing (from the coding agents' hooks). In memory only; a restart starts
// from "not connected".
import type { Session, SessionState } from '@crosstalk/core';

export interface SessionActivity {
  state: SessionState;
  since: string;
}

interface Entry {
  connected: boolean;
  cursor: number | null;
  lastSeenAt: string | null;
  presence: Map<string, 'online' | 'offline'>;
  states: Map<string, SessionActivity>;
}

export interface HostLiveView {
  connected: boolean;
  cursor: number | null;
  lastSeenAt: string | null;
}

export class HostActivity {
  private readonly hosts = new Map<string, Entry>();

  private entry(host: string): Entry {
    let e = this.hosts.get(host);
    if (!e) this.hosts.set(host, (e = { connected: false, cursor: null, lastSeenAt: null, presence: new Map(), states: new Map() }));
    return e;
  }

  seen(host: string, at: string): void {
    this.entry(host).lastSeenAt = at;
  }

  setConnected(host: string, connected: boolean): void {
    this.entry(host).connected = connected;
  }

  setCursor(host: string, seq: number): void {
    this.entry(host).cursor = seq;
  }

  setPresence(host: string, session: string, status: 'online' | 'offline'): void {
    this.entry(host).presence.set(session, status);
  }

  setState(host: string, session: string, activity: SessionActivity): void {
    this.entry(host).states.set(session, activity);
  }

  /** Forgets a host's sessions' presence (when it is revoked). */
  forget(host: string): void {
    this.hosts.delete(host);
  }

  view(host: string): HostLiveView {
    const e = this.hosts.get(host);
    return { connected: e?.connected ?? false, cursor: e?.cursor ?? null, lastSeenAt: e?.lastSeenAt ?? null };
  }

  /** Online: its host's agent link is up and the agent has not reported it offline. */
  isOnline(session: Session): boolean {
    const e = this.hosts.get(session.host);
    return e?.connected === true && e.presence.get(session.name) !== 'offline';
  }

  /** What the session is doing, while its host's agent is there to say so. */
  activity(session: Session): SessionActivity | undefined {
    const e = this.hosts.get(session.host);
    return e?.connected === true ? e.states.get(session.name) : undefined;
  }
}
