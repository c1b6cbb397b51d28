// The spawn audit as `crosstalk sessions --spawned` shows it: each request (spawn or kill) with the
// outcome its host reported, newest last. Pure: the events come from the audit log on disk.
import type { SpawnAuditEvent } from '@crosstalk/core';

export interface AuditRow {
  request: string;
  action: 'spawn' | 'kill';
  session: string;
  host: string;
  by: string;
  kind: string | null;
  cwd: string | null;
  requestedAt: string;
  /** started / killed / refused / failed, or pending while the host has not answered. */
  outcome: string;
  reason: string;
  detail: string;
  answeredAt: string | null;
}

export function auditRows(events: readonly SpawnAuditEvent[]): AuditRow[] {
  const rows = new Map<string, AuditRow>();
  for (const e of events) {
    if (e.type === 'spawn.requested' || e.type === 'kill.requested') {
      rows.set(e.id, {
        request: e.id,
        action: e.type === 'spawn.requested' ? 'spawn' : 'kill',
        session: e.session,
        host: e.host,
        by: e.by,
        kind: e.type === 'spawn.requested' ? e.kind : null,
        cwd: e.type === 'spawn.requested' ? e.cwd : null,
        requestedAt: e.at,
        outcome: 'pending',
        reason: '',
        detail: '',
        answeredAt: null,
      });
    } else {
      const row = rows.get(e.id);
      // Only the asked host's report counts.
      if (!row || row.host !== e.host || row.answeredAt !== null) continue;
      row.outcome = e.outcome;
      row.reason = e.reason;
      row.detail = e.detail;
      row.answeredAt = e.at;
      if (e.type === 'spawn.resulted' && e.cwd) row.cwd = e.cwd;
    }
  }
  return [...rows.values()];
}

/** Sessions started by a spawn and not killed since (they may have exited: the relay's state says). */
export function spawnedSessions(rows: readonly AuditRow[]): AuditRow[] {
  const live = new Map<string, AuditRow>();
  for (const r of rows) {
    if (r.action === 'spawn' && r.outcome === 'started') live.set(`${r.host}/${r.session}`, r);
    if (r.action === 'kill' && r.outcome === 'killed') live.delete(`${r.host}/${r.session}`);
  }
  return [...live.values()];
}
