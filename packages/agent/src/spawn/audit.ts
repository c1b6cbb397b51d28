// The spawn audit log in the copies' directory (`spawn-audit.jsonl`): every spawn and kill request
// and outcome the relay recorded, one event per line as the log holds it, on every host. Lines
// are appended in seq order and never twice: a replay after a restart skips what is there.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSpawnAuditEvent, type RelayEvent, type SpawnAuditEvent } from '@crosstalk/core';

export const AUDIT_FILE = 'spawn-audit.jsonl';

export function auditPath(copiesDir: string): string {
  return join(copiesDir, AUDIT_FILE);
}

/** The events of an audit log, oldest first; lines that are not events are skipped. */
export function parseAudit(text: string): SpawnAuditEvent[] {
  const out: SpawnAuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as { type?: unknown; seq?: unknown };
      if (typeof e.type === 'string' && typeof e.seq === 'number' && isSpawnAuditEvent(e as { type: string })) out.push(e as SpawnAuditEvent);
    } catch {
      // A torn last line (a crash mid-append) is skipped; the replay writes it again.
    }
  }
  return out;
}

export async function readAudit(copiesDir: string): Promise<SpawnAuditEvent[]> {
  return parseAudit(await readFile(auditPath(copiesDir), 'utf8').catch(() => ''));
}

export class AuditLog {
  private constructor(
    private readonly dir: string,
    private lastSeq: number,
    /** The file ends in a torn line (a crash mid-append): the next append starts on a line of its own. */
    private torn: boolean,
  ) {}

  static async open(copiesDir: string): Promise<AuditLog> {
    const text = await readFile(auditPath(copiesDir), 'utf8').catch(() => '');
    const seq = parseAudit(text).reduce((m, e) => Math.max(m, e.seq), 0);
    return new AuditLog(copiesDir, seq, text !== '' && !text.endsWith('\n'));
  }

  /** Appends the audit events among `events` that are not written yet. */
  async write(events: readonly RelayEvent[]): Promise<void> {
    const fresh = events.filter((e) => isSpawnAuditEvent(e) && e.seq > this.lastSeq);
    if (fresh.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    const lines = fresh.map((e) => `${JSON.stringify(e)}\n`).join('');
    await appendFile(auditPath(this.dir), this.torn ? `\n${lines}` : lines, { mode: 0o600 });
    this.torn = false;
    this.lastSeq = fresh[fresh.length - 1]?.seq ?? this.lastSeq;
  }
}
