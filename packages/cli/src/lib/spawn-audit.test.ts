// What `sessions --spawned` makes of the audit: each request with the outcome its host reported
// (a report from another host does not count), and the spawned sessions not killed since.
import type { SpawnAuditEvent } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { auditRows, spawnedSessions } from './spawn-audit.js';

const at = (n: number) => `2026-12-06T08:00:0${n}.000Z`;
const events: SpawnAuditEvent[] = [
  {
    seq: 1,
    at: at(1),
    type: 'spawn.requested',
    id: 'a'.repeat(16),
    by: 'alpha',
    host: 'beta',
    kind: 'codex',
    session: 'h1',
    cwd: '/w/x',
    prompt: 'go',
    model: null,
  },
  { seq: 2, at: at(2), type: 'spawn.resulted', id: 'a'.repeat(16), host: 'gamma', session: 'h1', outcome: 'failed', reason: 'forged', detail: '', cwd: null },
  {
    seq: 3,
    at: at(3),
    type: 'spawn.resulted',
    id: 'a'.repeat(16),
    host: 'beta',
    session: 'h1',
    outcome: 'started',
    reason: '',
    detail: 'ready',
    cwd: '/real/x',
  },
  {
    seq: 4,
    at: at(4),
    type: 'spawn.requested',
    id: 'b'.repeat(16),
    by: 'alpha',
    host: 'beta',
    kind: 'codex',
    session: 'h2',
    cwd: '/etc',
    prompt: null,
    model: null,
  },
  {
    seq: 5,
    at: at(5),
    type: 'spawn.resulted',
    id: 'b'.repeat(16),
    host: 'beta',
    session: 'h2',
    outcome: 'refused',
    reason: 'cwd-outside-roots',
    detail: 'no',
    cwd: null,
  },
  {
    seq: 6,
    at: at(6),
    type: 'spawn.requested',
    id: 'c'.repeat(16),
    by: 'admin',
    host: 'beta',
    kind: 'claude-code',
    session: 'h3',
    cwd: '/w/y',
    prompt: null,
    model: null,
  },
  { seq: 7, at: at(7), type: 'spawn.resulted', id: 'c'.repeat(16), host: 'beta', session: 'h3', outcome: 'started', reason: '', detail: 'ready', cwd: '/w/y' },
  { seq: 8, at: at(8), type: 'kill.requested', id: 'd'.repeat(16), by: 'beta', host: 'beta', session: 'h3' },
  { seq: 9, at: at(9), type: 'kill.resulted', id: 'd'.repeat(16), host: 'beta', session: 'h3', outcome: 'killed', reason: '', detail: 'stopped' },
  { seq: 10, at: at(9), type: 'kill.requested', id: 'e'.repeat(16), by: 'alpha', host: 'beta', session: 'h1' },
];

describe('auditRows', () => {
  it('pairs each request with the outcome its own host reported', () => {
    const rows = auditRows(events);
    expect(rows.map((r) => `${r.action} ${r.session} ${r.by}: ${r.outcome} ${r.reason}`.trim())).toEqual([
      'spawn h1 alpha: started',
      'spawn h2 alpha: refused cwd-outside-roots',
      'spawn h3 admin: started',
      'kill h3 beta: killed',
      'kill h1 alpha: pending',
    ]);
    expect(rows[0]).toMatchObject({ cwd: '/real/x', answeredAt: at(3) });
  });

  it('lists the spawned sessions not killed since', () => {
    expect(spawnedSessions(auditRows(events)).map((r) => r.session)).toEqual(['h1']);
  });
});
