// The attempt is recorded on disk before anything is typed, even though the terminal is checked
// while the record is being written: the adapter is handed the write and types only after it.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideOpen, type ReceiptBody, type WakeTarget } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import type { WakeAdapter, WakeOptions } from '../wake/index.js';
import { WakeLedger } from './ledger.js';
import { WakeOrchestrator } from './orchestrator.js';

const quiet = { debug: () => {}, info: () => {}, warn: () => {} };
const pane: WakeTarget = { type: 'tmux', pane: '%1', socket: '/tmp/none' };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-record-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function setup(adapter: WakeAdapter, ledgerPath: string) {
  const relay = new MemoryRelay();
  relay.append({ type: 'session.registered', at: relay.now(), session: { name: 'a', host: 'h1', kind: 'other', wake: pane, joinedAt: relay.now() } });
  relay.register('b', 'h2');
  relay.commit(decideOpen(relay.state, { actor: { kind: 'session', session: 'b', host: 'h2' }, id: 'talk-1', topic: 't', with: ['a'], body: 'hi', key: 'k1', at: relay.now() }));
  await mkdir(join(ledgerPath, '..'), { recursive: true });
  const ledger = await WakeLedger.open(ledgerPath, Date.now(), 60_000);
  const receipts: ReceiptBody[] = [];
  const orchestrator = new WakeOrchestrator({
    adapter,
    ledger,
    view: {
      conversation: (id) => relay.state.conversations.get(id),
      conversationIds: () => relay.state.conversations.keys(),
      isLocal: (s) => relay.state.sessions.get(s)?.host === 'h1',
      target: (s) => relay.state.sessions.get(s)?.wake,
      copyPath: (id) => `/copies/${id}.md`,
    },
    nudgeAfterMs: 60_000,
    maxNudges: 2,
    sendReceipt: (r) => receipts.push(r),
    log: quiet,
  });
  return { orchestrator, receipts };
}

/** An adapter that, like the real ones, types only after `beforeTyping`; it notes what was on disk then. */
function recording(ledgerPath: string) {
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
      typed.push({ line, onDisk: await readFile(ledgerPath, 'utf8') });
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
    expect(JSON.parse(r.typed[0]!.onDisk).entries).toEqual([expect.objectContaining({ conversation: 'talk-1', turn: 2, session: 'a', phase: 'typing', attempt: 1 })]);
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
