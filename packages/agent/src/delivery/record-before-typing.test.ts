// The attempt is recorded on disk before anything is typed, even though the terminal is checked
// while the record is being written: the adapter is handed the write and types only after it.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiptBody } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';

import type { WakeAdapter, WakeOptions } from '../terminals/index.js';
import { orchestratorFor, talkRelay } from './__fixtures__/talk.js';
import { WakeJournal } from './journal.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-record-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const until = <T>(what: string, check: () => T | undefined | false) => waitFor(what, check, { timeoutMs: 10_000, intervalMs: 10 });

async function setup(adapter: WakeAdapter, journalPath: string) {
  const relay = talkRelay();
  await mkdir(join(journalPath, '..'), { recursive: true });
  const journal = await WakeJournal.open(journalPath, Date.now(), 60_000);
  const receipts: ReceiptBody[] = [];
  return { orchestrator: orchestratorFor(relay, { adapter, journal, receipts }), receipts };
}

/** An adapter that, like the real ones, types only after `beforeTyping`; it notes what was on disk then. */
function recording(journalPath: string) {
  const typed: Array<{ line: string; onDisk: string }> = [];
  let refused = 0;
  const adapter: WakeAdapter = {
    async wake(_target, line, options: WakeOptions = {}) {
      try {
        await options.beforeTyping;
      } catch {
        refused++;
        return { status: 'failed', reason: 'wake-error' };
      }
      typed.push({ line, onDisk: await readFile(journalPath, 'utf8') });
      return { status: 'delivered' };
    },
    async probe() {
      return 'alive';
    },
  };
  return { adapter, typed, refused: () => refused };
}

describe('recording a wake-up before typing it', () => {
  it('has the attempt on disk as typing when the text goes out', async () => {
    const path = join(dir, 'state', 'wakes.json');
    const r = recording(path);
    const s = await setup(r.adapter, path);
    s.orchestrator.setLive(true);
    s.orchestrator.plan(['talk-1']);
    await until('the receipt', () => s.receipts.length === 1);
    await s.orchestrator.stop();
    expect(r.typed).toHaveLength(1);
    expect(JSON.parse(r.typed[0]!.onDisk).entries).toEqual([
      expect.objectContaining({ conversation: 'talk-1', turn: 2, session: 'a', phase: 'typing', attempt: 1 }),
    ]);
    expect(s.receipts.map((x) => x.status)).toEqual(['delivered']);
  });

  it('types nothing and sends no receipt when the record cannot be written', async () => {
    const path = join(dir, 'state', 'wakes.json');
    const r = recording(path);
    const s = await setup(r.adapter, path);
    // The state dir vanishes: the record's temp file cannot be created.
    await rm(join(dir, 'state'), { recursive: true });
    s.orchestrator.setLive(true);
    s.orchestrator.plan(['talk-1']);
    await until('the adapter to be refused', () => r.refused() === 1);
    await s.orchestrator.stop();
    expect(r.typed).toEqual([]);
    expect(s.receipts).toEqual([]);
  });
});
