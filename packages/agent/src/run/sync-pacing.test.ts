import { describe, expect, it } from 'vitest';
import type { RelayEvent } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import type { Replica } from '../state/replica.js';
import { Sync, type SyncDeps } from './sync.js';

/** A replica stand-in whose every batch takes `ms` to write, recording when each ran and how big it was. */
function slowReplica(ms: number) {
  const batches: Array<{ size: number; start: number; end: number }> = [];
  let seq = 0;
  const replica = {
    get seq() {
      return seq;
    },
    state: { conversations: new Map() },
    pausedAt: null,
    persistedCursor: { relayId: 'r', epoch: 'e', seq: 0 },
    async apply(events: readonly RelayEvent[]) {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      seq = Math.max(seq, ...events.map((e) => e.seq));
      batches.push({ size: events.length, start, end: performance.now() });
      return { applied: events.length, gap: null, changed: [], sessionsChanged: false, receipts: [], deleted: [] };
    },
    persistCursor: async () => false,
  };
  return { replica: replica as unknown as Replica, batches };
}

function sync(replica: Replica): Sync {
  const deps: SyncDeps = {
    replica,
    orchestrator: { plan: () => {}, planUnanswered: () => {}, setLive: () => {}, reset: async () => {} },
    link: () => null,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } as unknown as SyncDeps['log'],
    tuning: { cursorFlushMs: 60_000, ackIntervalMs: 60_000, replayTimeoutMs: 60_000 },
    onLinked: () => {},
    onSessionsChanged: () => {},
    onChange: () => {},
    onError: () => {},
  };
  return new Sync(deps);
}

const event = (seq: number) => ({ seq, type: 'receipt', at: '2026-12-06T00:00:00.000Z' }) as unknown as RelayEvent;

describe('batches under a steady stream', () => {
  it('apply the first event at once, then wait as long as a batch took and take in all that came meanwhile', async () => {
    const { replica, batches } = slowReplica(40);
    const s = sync(replica);
    const started = performance.now();
    s.receive({ t: 'events', events: [event(1)] });
    // Ten more frames arrive while the first batch is written.
    for (let seq = 2; seq <= 11; seq++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      s.receive({ t: 'events', events: [event(seq)] });
    }
    await waitFor('every event applied', () => replica.seq === 11, { timeoutMs: 5_000, intervalMs: 5 });
    await s.stop();
    expect(batches.map((b) => b.size)).toEqual([1, 10]);
    const [first, second] = batches as [(typeof batches)[0], (typeof batches)[0]];
    // The first went at once; the second waited at least as long as the first took.
    expect(first.start - started).toBeLessThan(30);
    expect(second.start - first.end).toBeGreaterThanOrEqual(first.end - first.start - 2);
  });
});
