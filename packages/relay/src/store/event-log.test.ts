import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyEvent, emptyState, type PendingEvent } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { seeded } from '@crosstalk/core/test-support';
import { HistoryGenerator } from '../__fixtures__/history.js';
import { tempDirs } from '../__fixtures__/temp.js';
import { EventLog } from './event-log.js';
import { encodeRecord } from './record.js';

const r = tempDirs();

const receipt = (i: number): PendingEvent => ({
  type: 'receipt',
  at: '2026-11-21T14:00:00.000Z',
  receipt: { session: 's-a', host: 'h', conversation: 'c-abcd', turn: 1, status: 'delivered', attempt: (i % 100) + 1 },
});

async function openLog(file: string, opts: { ringRecords?: number } = {}) {
  const seen: string[] = [];
  const { log, scan } = await EventLog.open({ file, ...opts, onRecord: (rec) => seen.push(rec.json) });
  return { log, scan, seen };
}

describe('event log', () => {
  it('gives contiguous seqs from 1 and reads back what it wrote, across a restart', async () => {
    const file = join(await r.dir(), 'events.log');
    const { log } = await openLog(file);
    const events = log.append([receipt(1), receipt(2)]);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(log.durableSeq).toBe(0);
    await log.waitDurable(2);
    expect(log.durableSeq).toBe(2);
    log.append([receipt(3)]);
    await log.waitDurable();
    await log.close();

    const again = await openLog(file);
    expect(again.seen.map((j) => JSON.parse(j).seq)).toEqual([1, 2, 3]);
    expect(again.log.append([receipt(4)])[0]?.seq).toBe(4);
    await again.log.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(lines[0]).toMatch(/^[0-9a-f]{8} \{"seq":1,/);
  });

  it('shares one write and one fsync among records appended together', async () => {
    const file = join(await r.dir(), 'events.log');
    const { log } = await openLog(file);
    const pending = [];
    for (let i = 0; i < 100; i++) pending.push(log.waitDurable(log.append([receipt(i)])[0]?.seq));
    await Promise.all(pending);
    expect(log.durableSeq).toBe(100);
    expect(log.stats.syncs).toBe(1);
    expect(log.stats.writes).toBe(1);
    await log.close();
  });

  it('queues records that arrive during an fsync for the next one', async () => {
    const file = join(await r.dir(), 'events.log');
    const { log } = await openLog(file);
    const first = log.append([receipt(0)])[0]?.seq ?? 0;
    const firstDurable = log.waitDurable(first);
    // This runs right after the log started writing `first`, while that write is in flight.
    const later = await new Promise<Promise<void>[]>((resolve) =>
      setImmediate(() => {
        const waits = [];
        for (let i = 1; i <= 50; i++) waits.push(log.waitDurable(log.append([receipt(i)])[0]?.seq));
        resolve(waits);
      }),
    );
    await firstDurable;
    await Promise.all(later);
    expect(log.durableSeq).toBe(51);
    expect(log.stats.syncs).toBe(2);
    await log.close();
  });

  it('reads old records back from the file when they left the in-memory ring', async () => {
    const file = join(await r.dir(), 'events.log');
    const { log } = await openLog(file, { ringRecords: 16 });
    const all: string[] = [];
    for (let i = 0; i < 200; i++) all.push(JSON.stringify(log.append([receipt(i)])[0]));
    await log.waitDurable();
    const got: string[] = [];
    let after = 0;
    while (after < 200) {
      const chunk = await log.read(after, 37, 2_000);
      expect(chunk.length).toBeGreaterThan(0);
      got.push(...chunk);
      after += chunk.length;
    }
    expect(got).toEqual(all);
    await log.close();
    // A restart serves the same records from the file.
    const again = await openLog(file, { ringRecords: 16 });
    expect(await again.log.read(10, 5, 1 << 20)).toEqual(all.slice(10, 15));
    await again.log.close();
  });

  it('refuses a record damaged on disk after start when it is read back, naming the offset', async () => {
    const file = join(await r.dir(), 'events.log');
    const { log } = await openLog(file, { ringRecords: 16 });
    for (let i = 0; i < 100; i++) log.append([receipt(i)]);
    await log.waitDurable();
    const bytes = await readFile(file);
    const third = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1;
    // A flipped bit in the JSON of the third record, as a failing disk would give.
    bytes[third + 20] = (bytes[third + 20] as number) ^ 0x01;
    await writeFile(file, bytes);
    await expect(log.read(0, 5, 1 << 20)).rejects.toMatchObject({ code: 'LOG_CORRUPT', details: { file, offset: third } });
    // Records before it still read.
    expect(await log.read(0, 2, 1 << 20)).toHaveLength(2);
    await log.close();
  });

  it('never hands out records that are not yet durable', async () => {
    const file = join(await r.dir(), 'events.log');
    const { log } = await openLog(file);
    log.append([receipt(1)]);
    expect(await log.read(0, 10, 1 << 20)).toEqual([]);
    await log.waitDurable();
    expect(await log.read(0, 10, 1 << 20)).toHaveLength(1);
    await log.close();
  });

  it('truncates a torn tail and refuses a damaged record', async () => {
    const dir = await r.dir();
    const file = join(dir, 'events.log');
    const a = encodeRecord(JSON.stringify({ seq: 1, ...receipt(1) }));
    const b = encodeRecord(JSON.stringify({ seq: 2, ...receipt(2) }));
    await writeFile(file, Buffer.concat([a, b.subarray(0, 20)]));
    const torn = await openLog(file);
    expect(torn.seen).toHaveLength(1);
    expect(torn.scan.tornTail).toEqual({ offset: a.length, bytes: 20 });
    expect((await stat(file)).size).toBe(a.length);
    await torn.log.close();

    const bad = Buffer.concat([a, b]);
    bad[a.length + 12] = (bad[a.length + 12] as number) ^ 0x01;
    await writeFile(file, bad);
    await expect(openLog(file)).rejects.toMatchObject({ code: 'LOG_CORRUPT', details: { file, offset: a.length } });

    // Out-of-order seqs are damage too.
    await writeFile(file, Buffer.concat([b, a]));
    await expect(openLog(file)).rejects.toMatchObject({ code: 'LOG_CORRUPT', details: { offset: 0 } });
  });

  it('stops for good when a write fails: waiters get an error, the relay is told once', async () => {
    const file = join(await r.dir(), 'events.log');
    const fatal: Error[] = [];
    const { log } = await EventLog.open({ file, onFatal: (err) => fatal.push(err) });
    log.append([receipt(1)]);
    await log.waitDurable();
    // Pull the file out from under the log, as a failing disk would.
    await (log as unknown as { fh: { close(): Promise<void> } }).fh.close();
    const waits = [log.waitDurable(log.append([receipt(2)])[0]?.seq), log.waitDurable(log.append([receipt(3)])[0]?.seq)];
    for (const w of waits) await expect(w).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fatal).toHaveLength(1);
    expect(log.failed).toBe(fatal[0]);
    expect(() => log.append([receipt(4)])).toThrow(/cannot be written/);
    expect(log.durableSeq).toBe(1);
  });

  it('restarts into exactly the state it had', async () => {
    const file = join(await r.dir(), 'events.log');
    const { log } = await openLog(file);
    const live = emptyState();
    const gen = new HistoryGenerator(seeded(42));
    for (let i = 0; i < 300; i++) {
      for (const e of log.append(gen.next(live))) applyEvent(live, e);
    }
    await log.close();
    const rebuilt = emptyState();
    const again = await EventLog.open({ file, onRecord: (rec) => applyEvent(rebuilt, rec.event as never) });
    expect(rebuilt).toEqual(live);
    expect(rebuilt.seq).toBe(live.seq);
    await again.log.close();
  });
});
