// The spawn audit log in the copies' directory: only spawn and kill events, each once, in seq
// order, across a restart and a replay; a line torn by a crash is skipped and written again.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RelayEvent } from '@crosstalk/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, auditPath, readAudit } from './audit.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'ct-audit-'));
  dirs.push(d);
  return d;
};

const at = '2026-12-06T08:00:00.000Z';
const requested = (seq: number): RelayEvent => ({
  seq,
  at,
  type: 'spawn.requested',
  id: `${seq}`.padStart(16, '0'),
  by: 'alpha',
  host: 'beta',
  kind: 'codex',
  session: 'helper',
  cwd: '/srv/work',
  prompt: null,
  model: null,
});
const receipt = (seq: number): RelayEvent => ({
  seq,
  at,
  type: 'receipt',
  receipt: { session: 's', host: 'h', conversation: 'c', turn: 1, status: 'delivered', attempt: 1 },
});

describe('AuditLog', () => {
  it('writes the spawn and kill events only, each once, across a restart and a replay', async () => {
    const dir = await tempDir();
    const log = await AuditLog.open(dir);
    await log.write([receipt(1), requested(2)]);
    await log.write([requested(2), requested(3)]);
    const again = await AuditLog.open(dir);
    await again.write([requested(1), requested(2), requested(3), requested(4)]);
    expect((await readAudit(dir)).map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  it('skips a torn last line and starts the next append on a line of its own', async () => {
    const dir = await tempDir();
    await (await AuditLog.open(dir)).write([requested(1)]);
    await appendFile(auditPath(dir), '{"seq":2,"type":"spawn.req');
    const log = await AuditLog.open(dir);
    await log.write([requested(2)]);
    expect((await readAudit(dir)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await readFile(auditPath(dir), 'utf8')).split('\n')).toHaveLength(4);
  });
});
