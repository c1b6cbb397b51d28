// The wake-up state machine against a scripted terminal: the outcomes a real terminal gives
// (busy, gone) cannot be ordered on cue, so the adapter here answers from a script. The real
// tmux path is covered by the agent's end-to-end tests.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decidePost, type ReceiptBody, type WakeTarget } from '@crosstalk/core';
import { waitFor, type MemoryRelay } from '@crosstalk/core/test-support';

import type { WakeAdapter, WakeOutcome } from '../terminals/index.js';
import { orchestratorFor, talkRelay } from './__fixtures__/talk.js';
import { WakeJournal } from './journal.js';
import type { WakeOrchestrator } from './orchestrator.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-orch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const until = <T>(what: string, check: () => T | undefined | false) => waitFor(what, check, { timeoutMs: 10_000, intervalMs: 10 });

function scripted(outcomes: WakeOutcome[]): WakeAdapter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    async wake(_target, line) {
      lines.push(line);
      return outcomes.shift() ?? { status: 'delivered' };
    },
    async probe() {
      return 'alive';
    },
  };
}

interface Setup {
  relay: MemoryRelay;
  receipts: ReceiptBody[];
  orchestrator: WakeOrchestrator;
  journal: WakeJournal;
}

type Told = (session: string, conversation: string, turn: number) => Promise<boolean>;

async function setup(
  adapter: WakeAdapter,
  opts: { wake?: WakeTarget; nudgeAfterMs?: number; maxNudges?: number; relay?: MemoryRelay; toldByWait?: Told } = {},
): Promise<Setup> {
  const relay = opts.relay ?? talkRelay(opts.wake);
  const journal = await WakeJournal.open(join(dir, 'wakes.json'), Date.now(), opts.nudgeAfterMs ?? 60_000);
  const receipts: ReceiptBody[] = [];
  const orchestrator = orchestratorFor(relay, {
    adapter,
    journal,
    receipts,
    nudgeAfterMs: opts.nudgeAfterMs ?? 60_000,
    maxNudges: opts.maxNudges ?? 2,
    retry: { baseMs: 10, capMs: 40, maxDeferrals: 3 },
    toldByWait: opts.toldByWait,
  });
  orchestrator.setLive(true);
  return { relay, receipts, orchestrator, journal };
}

const summary = (rs: ReceiptBody[]) => rs.map((r) => `${r.status}${r.reason ? `/${r.reason}` : ''}#${r.attempt}`);

describe('WakeOrchestrator', () => {
  it('types one line per turn, even when asked again and after a restart', async () => {
    const adapter = scripted([]);
    const s = await setup(adapter);
    s.orchestrator.plan(['talk-1']);
    await until('the receipt', () => s.receipts.length === 1);
    s.orchestrator.plan(['talk-1']);
    s.orchestrator.plan(['talk-1']);
    await s.orchestrator.stop();
    expect(adapter.lines).toEqual([
      'crosstalk: your turn in talk-1 (turn 2/20). New turns: crosstalk read talk-1 --new --as a; whole conversation: /copies/talk-1.md. Answer with: crosstalk reply talk-1 --as a --expect-turn 2',
    ]);
    expect(summary(s.receipts)).toEqual(['delivered#1']);

    const again = await setup(adapter, { relay: s.relay });
    again.orchestrator.plan(['talk-1']);
    await again.orchestrator.stop();
    expect(adapter.lines).toHaveLength(1);
  });

  it('retries a busy terminal with backoff and gives up after a bounded number of tries', async () => {
    const busy: WakeOutcome = { status: 'deferred', reason: 'copy-mode' };
    const later = await setup(scripted([busy, { status: 'deferred', reason: 'user-typing', detail: 'typed 0.4 s ago' }]));
    later.orchestrator.plan(['talk-1']);
    await until('delivery', () => later.receipts.some((r) => r.status === 'delivered'));
    await later.orchestrator.stop();
    expect(summary(later.receipts)).toEqual(['deferred/copy-mode#1', 'deferred/user-typing: typed 0.4 s ago#1', 'delivered#1']);

    await rm(join(dir, 'wakes.json'));
    const never = await setup(scripted([busy, busy, busy, busy]));
    never.orchestrator.plan(['talk-1']);
    await until('giving up', () => never.receipts.some((r) => r.status === 'failed'));
    await never.orchestrator.stop();
    expect(summary(never.receipts)).toEqual(['deferred/copy-mode#1', 'deferred/copy-mode#1', 'failed/gave-up: deferred 3 times, last: copy-mode#1']);
  });

  it('stops at a terminal that is gone, and reports a session without one', async () => {
    const gone = await setup(scripted([{ status: 'failed', reason: 'pane-gone', detail: "can't find pane: %1" }]), { nudgeAfterMs: 20 });
    gone.orchestrator.plan(['talk-1']);
    await until('the failure', () => gone.receipts.length === 1);
    await gone.orchestrator.stop();
    expect(summary(gone.receipts)).toEqual(["failed/pane-gone: can't find pane: %1#1"]);

    await rm(join(dir, 'wakes.json'));
    const adapter = scripted([]);
    const poller = await setup(adapter, { wake: { type: 'none' } });
    poller.orchestrator.plan(['talk-1']);
    await until('the receipt', () => poller.receipts.length === 1);
    await poller.orchestrator.stop();
    expect(summary(poller.receipts)).toEqual(['failed/no-wake-target#1']);
    expect(adapter.lines).toEqual([]);
  });

  it('never wakes a person (a human session): no attempt, no receipt, nothing on record', async () => {
    const adapter = scripted([]);
    const human = await setup(adapter, { relay: talkRelay({ type: 'none' }, 'human'), nudgeAfterMs: 10 });
    human.orchestrator.plan(['talk-1']);
    expect(human.journal.all()).toEqual([]);
    await human.orchestrator.stop();
    expect(human.receipts).toEqual([]);
    expect(adapter.lines).toEqual([]);
  });

  it('reminds an unanswered session, then reports it unanswered; an answer ends the reminders', async () => {
    const adapter = scripted([]);
    const s = await setup(adapter, { nudgeAfterMs: 30, maxNudges: 2 });
    s.orchestrator.plan(['talk-1']);
    await until('unanswered', () => s.receipts.some((r) => r.reason === 'unanswered'));
    await s.orchestrator.stop();
    expect(summary(s.receipts)).toEqual(['delivered#1', 'delivered#2', 'delivered#3', 'failed/unanswered#3']);
    expect(adapter.lines[1]).toMatch(/^crosstalk: reminder: your turn in talk-1 \(turn 2\/20\)/);

    await rm(join(dir, 'wakes.json'));
    const answered = await setup(scripted([]), { nudgeAfterMs: 30, maxNudges: 2 });
    answered.orchestrator.plan(['talk-1']);
    await until('delivery', () => answered.receipts.length === 1);
    const r = answered.relay;
    r.commit(
      decidePost(r.state, {
        actor: { kind: 'session', session: 'a', host: 'h1' },
        conversation: 'talk-1',
        expectedTurn: 2,
        key: 'k2',
        body: 'here',
        at: r.now(),
      }),
    );
    answered.orchestrator.plan(['talk-1']);
    // At the reminder time the record sees the answer and closes without typing.
    await until('the record to close', () => answered.journal.all().every((e) => e.phase === 'done'));
    await answered.orchestrator.stop();
    expect(summary(answered.receipts)).toEqual(['delivered#1']);
  });

  it('counts a wake-up interrupted by a crash as typed, never typing it twice', async () => {
    await writeFile(
      join(dir, 'wakes.json'),
      JSON.stringify({
        version: 1,
        entries: [{ kind: 'turn', conversation: 'talk-1', turn: 2, session: 'a', attempt: 1, deferrals: 0, phase: 'typing', dueAt: 0 }],
      }),
    );
    const adapter = scripted([]);
    const s = await setup(adapter);
    s.orchestrator.plan(['talk-1']);
    await s.orchestrator.stop();
    expect(adapter.lines).toEqual([]);
    expect(s.journal.all()[0]).toMatchObject({ phase: 'waiting', attempt: 1 });
  });

  it('types no line about a turn the session hears of from its own wait, but reminds it later', async () => {
    const asked: string[] = [];
    const adapter = scripted([]);
    const s = await setup(adapter, {
      nudgeAfterMs: 30,
      maxNudges: 1,
      toldByWait: async (session, conversation, turn) => {
        asked.push(`${session}:${conversation}:${turn}`);
        return true;
      },
    });
    s.orchestrator.plan(['talk-1']);
    await until('unanswered', () => s.receipts.some((r) => r.reason === 'unanswered'));
    await s.orchestrator.stop();
    expect(summary(s.receipts)).toEqual(['delivered/waiting#1', 'delivered#2', 'failed/unanswered#2']);
    expect(asked).toEqual(['a:talk-1:2']);
    // Only the reminder reached the terminal.
    expect(adapter.lines).toHaveLength(1);
    expect(adapter.lines[0]).toMatch(/^crosstalk: reminder: your turn in talk-1 \(turn 2\/20\)/);

    await rm(join(dir, 'wakes.json'));
    const unsure = await setup(scripted([]), {
      toldByWait: async () => {
        throw new Error('unreadable');
      },
    });
    unsure.orchestrator.plan(['talk-1']);
    await until('the receipt', () => unsure.receipts.length === 1);
    await unsure.orchestrator.stop();
    // When in doubt, the line is typed.
    expect(summary(unsure.receipts)).toEqual(['delivered#1']);
  });
});
