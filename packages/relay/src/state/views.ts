// What the HTTP API shows of the state, typed by the answer schemas clients check it with.
// Pure functions.
import type { Conversation, ConversationSummary, HostInfo, Host, Session, SessionInfo } from '@crosstalk/core';
import type { HostLiveView, SessionActivity } from './activity.js';

/** Time of the conversation's latest change (relay timestamps compare as strings). */
export function updatedAt(c: Conversation): string {
  let latest = c.openedAt;
  const candidates = [c.turns[c.turns.length - 1]?.at, c.notes[c.notes.length - 1]?.at, c.resolution?.at, c.decision?.at];
  for (const at of candidates) if (at !== undefined && at > latest) latest = at;
  return latest;
}

export function summarize(c: Conversation): ConversationSummary {
  return {
    id: c.id,
    topic: c.topic,
    status: c.status,
    participants: [...c.participants],
    moderator: c.moderator,
    next: [...c.next],
    turns: c.turns.length,
    maxTurns: c.maxTurns,
    openedBy: c.openedBy,
    openedAt: c.openedAt,
    seq: c.seq,
    updatedAt: updatedAt(c),
    ...(c.archived ? { archived: true } : {}),
  };
}

/** A session as other hosts see it: where its terminal is stays with its own host. */
export function publicSession(s: Session, online: boolean, activity?: SessionActivity): SessionInfo {
  const info: SessionInfo = { name: s.name, host: s.host, kind: s.kind, wake: { type: s.wake.type }, joinedAt: s.joinedAt, online };
  if (activity) {
    info.state = activity.state;
    info.stateSince = activity.since;
  }
  return info;
}

/** A host with what the relay sees of it live; its key stays out of answers. */
export function hostInfo(host: Host, live: HostLiveView): HostInfo {
  return { name: host.name, enrolledAt: host.enrolledAt, revokedAt: host.revokedAt, ...live };
}
