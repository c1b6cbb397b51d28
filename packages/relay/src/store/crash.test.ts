// Crash and corruption: a real log written with acknowledgements, then cut at random places and
// hit by single-bit flips. Every case must either recover exactly the acknowledged records (for
// a cut: the complete records before it) or refuse to start with LOG_CORRUPT naming the file
// and the offset of the damaged record. No case may silently drop or alter an acknowledged one.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyEvent, CrosstalkError, emptyState } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../__fixtures__/temp.js';
import { seeded } from '@crosstalk/core/test-support';
import { HistoryGenerator } from '../__fixtures__/history.js';
import { EventLog } from './event-log.js';

const r = tempDirs();
const SEED = Number(process.env.CROSSTALK_TEST_SEED ?? Date.now() % 1_000_000_000);
const CASES = 1000;

/** Writes a log of varied records, acknowledging each batch before the next; returns its bytes and records. */
async function writeAcknowledgedLog(file: string) {
  const { log } = await EventLog.open({ file });
  const state = emptyState();
  const rand = seeded(SEED);
  const gen = new HistoryGenerator(rand);
  const acked: string[] = [];
  const types = new Set<string>();
  while (acked.length < 400) {
    // Several batches in flight together, acknowledged as a group (group commit).
    const group = 1 + Math.floor(rand() * 5);
    const waits: Promise<string[]>[] = [];
    for (let g = 0; g < group; g++) {
      const events = log.append(gen.next(state));
      for (const e of events) {
        applyEvent(state, e);
        types.add(e.type);
      }
      const last = events[events.length - 1]?.seq ?? 0;
      waits.push(log.waitDurable(last).then(() => events.map((e) => JSON.stringify(e))));
    }
    for (const jsons of await Promise.all(waits)) acked.push(...jsons);
  }
  await log.close();
  const bytes = await readFile(file);
  // Record boundaries: starts[i] is where record i begins; starts[n] is the end of the file.
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  expect(starts).toHaveLength(acked.length + 1);
  return { bytes, acked, starts, types };
}

/** Index of the record holding byte `offset`. */
function recordAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type Opened = { ok: true; records: string[]; log: EventLog } | { ok: false; error: CrosstalkError };

async function tryOpen(file: string): Promise<Opened> {
  const records: string[] = [];
  try {
    const { log } = await EventLog.open({ file, onRecord: (rec) => records.push(rec.json) });
    return { ok: true, records, log };
  } catch (err) {
    if (err instanceof CrosstalkError) return { ok: false, error: err };
    throw err;
  }
}

describe(`log crash recovery (seed ${SEED})`, () => {
  it('recovers exactly the complete records before any cut', async () => {
    process.stdout.write(`log crash test seed=${SEED} (set CROSSTALK_TEST_SEED to repeat)\n`);
    const dir = await r.dir();
    const { bytes, acked, starts, types } = await writeAcknowledgedLog(join(dir, 'source.log'));
    expect(types.size).toBeGreaterThanOrEqual(7);
    const rand = seeded(SEED ^ 0x5eed);
    const file = join(dir, 'case.log');
    let recovered = 0;
    let refused = 0;
    for (let i = 0; i < CASES; i++) {
      const cut = Math.floor(rand() * (bytes.length + 1));
      await writeFile(file, bytes.subarray(0, cut));
      const expected = starts.filter((s) => s > 0 && s <= cut).length;
      const opened = await tryOpen(file);
      if (!opened.ok) {
        refused++;
        expect(opened.error.code).toBe('LOG_CORRUPT');
        expect(opened.error.details).toMatchObject({ file });
        continue;
      }
      recovered++;
      expect(opened.records).toEqual(acked.slice(0, expected));
      expect((await stat(file)).size).toBe(starts[expected]);
      if (i % 100 === 0) {
        // The recovered log takes new records after the ones it kept.
        const [next] = opened.log.append([{ type: 'host.revoked', at: '2026-11-21T15:00:00.000Z', host: 'linux-box' }]);
        expect(next?.seq).toBe(expected + 1);
        await opened.log.waitDurable();
        await opened.log.close();
        const again = await tryOpen(file);
        expect(again.ok && again.records.length).toBe(expected + 1);
        if (again.ok) await again.log.close();
      } else {
        await opened.log.close();
      }
    }
    process.stdout.write(`truncations=${CASES} recovered=${recovered} refused=${refused} records=${acked.length} bytes=${bytes.length}\n`);
    expect(recovered + refused).toBe(CASES);
    // A cut only ever leaves a torn tail, which is never an acknowledged record.
    expect(refused).toBe(0);
  });

  it('refuses every single-bit flip with LOG_CORRUPT at the damaged record', async () => {
    const dir = await r.dir();
    const { bytes, acked, starts } = await writeAcknowledgedLog(join(dir, 'source.log'));
    const rand = seeded(SEED ^ 0xf11b);
    const file = join(dir, 'case.log');
    let recovered = 0;
    let refused = 0;
    for (let i = 0; i < CASES; i++) {
      const at = Math.floor(rand() * bytes.length);
      const bit = Math.floor(rand() * 8);
      const damaged = Buffer.from(bytes);
      damaged[at] = (damaged[at] as number) ^ (1 << bit);
      await writeFile(file, damaged);
      const opened = await tryOpen(file);
      if (opened.ok) {
        recovered++;
        await opened.log.close();
        // Recovering is only acceptable if nothing acknowledged changed or went missing.
        expect(opened.records).toEqual(acked);
        continue;
      }
      refused++;
      expect(opened.error.code).toBe('LOG_CORRUPT');
      const record = recordAt(starts, at);
      expect(opened.error.details).toEqual(expect.objectContaining({ file, offset: starts[record] }));
      expect(opened.error.message).toContain(file);
      expect(opened.error.message).toContain(`byte ${starts[record]}`);
    }
    process.stdout.write(`bitflips=${CASES} recovered=${recovered} refused=${refused} records=${acked.length} bytes=${bytes.length}\n`);
    expect(recovered + refused).toBe(CASES);
  });
});
