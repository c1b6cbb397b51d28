// Delivery on top of what the sessions' hooks say (SPEC §6): held while a session works, handed
// over through its Stop hook or a waiting hook without typing, reminded soon after it goes idle
// unanswered, tried again when it comes back. The terminal answers from a script; the real
// coding agents are in test/agents.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideOpen, type ReceiptBody, type SessionState } from '@crosstalk/core';
import { waitFor, type MemoryRelay } from '@crosstalk/core/test-support';
import type { WakeAdapter, WakeOutcome } from '../terminals/index.js';
import { orchestratorFor, talkRelay } from './__fixtures__/talk.js';
import { WakeJournal } from './journal.js';
import { MAX_STOP_BLOCKS, type WakeOrchestrator } from './orchestrator.js';
import type { ActivityView } from './policy.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-hold-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const until = <T>(what: string, check: () => T | undefined | false) => waitFor(what, check, { timeoutMs: 10_000, intervalMs: 5 });
const summary = (rs: ReceiptBody[]) => rs.map((r) => `${r.conversation}:${r.status}${r.reason ? `/${r.reason}` : ''}#${r.attempt}`);

function scripted(outcomes: WakeOutcome[] = []): WakeAdapter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    async wake(_target, line, options) {
      const outcome = outcomes.shift() ?? { status: 'delivered' };
      // As a real adapter: the hook takes the line only once the checks (here, the outcome) passed.
      if (outcome.status === 'delivered' && options?.handOver?.()) return { status: 'delivered', via: 'hook' };
      lines.push(line);
      return outcome;
    },
    async probe() {
      return 'alive';
    },
  };
}

/** Talk-1 and talk-2, both waiting for a's turn. */
function twoTalks(): MemoryRelay {
  const relay = talkRelay();
  relay.commit(
    decideOpen(relay.state, {
      actor: { kind: 'session', session: 'b', host: 'h2' },
      id: 'talk-2',
      topic: 't',
      with: ['a'],
      body: 'hi',
      key: 'k9',
      at: relay.now(),
    }),
  );
  return relay;
}

interface World {
  orchestrator: WakeOrchestrator;
  receipts: ReceiptBody[];
  adapter: ReturnType<typeof scripted>;
  journal: WakeJournal;
  /** What a's hooks say; set it and call orchestrator.stateChanged('a'). */
  activity: ActivityView;
  handedOver: string[];
  setState(state: SessionState): void;
}

async function world(
  opts: {
    relay?: MemoryRelay;
    outcomes?: WakeOutcome[];
    offer?: (line: string) => boolean;
    recheckMs?: number;
    dialogRecheckMs?: number;
    idleGraceMs?: number;
    nudgeAfterMs?: number;
    maxNudges?: number;
  } = {},
): Promise<World> {
  const relay = opts.relay ?? talkRelay();
  const journal = await WakeJournal.open(join(dir, 'wakes.json'), Date.now(), 60_000);
  const receipts: ReceiptBody[] = [];
  const adapter = scripted(opts.outcomes);
  const w = { receipts, adapter, journal, activity: { state: 'unknown', heardAt: null } as ActivityView, handedOver: [] as string[] } as World;
  w.orchestrator = orchestratorFor(relay, {
    adapter,
    journal,
    receipts,
    nudgeAfterMs: opts.nudgeAfterMs ?? 60_000,
    maxNudges: opts.maxNudges ?? 2,
    retry: { baseMs: 10, capMs: 40, maxDeferrals: 3 },
    activity: () => w.activity,
    offerToHook: opts.offer ? (_s, line) => opts.offer!(line) : undefined,
    onHandedOver: (_s, _line, how) => w.handedOver.push(how),
    recheckMs: opts.recheckMs ?? 60_000,
    dialogRecheckMs: opts.dialogRecheckMs ?? 60_000,
    idleGraceMs: opts.idleGraceMs ?? 60_000,
  });
  w.setState = (state) => {
    w.activity = { state, heardAt: Date.now() };
    w.orchestrator.stateChanged('a');
  };
  w.orchestrator.setLive(true);
  return w;
}

describe('delivery by session state', () => {
  it('holds a turn while the session works, and hands it over through its Stop hook with nothing typed', async () => {
    const w = await world();
    w.activity = { state: 'working', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the hold', () => w.receipts.length === 1);
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/busy#1']);
    w.activity = { state: 'idle', heardAt: Date.now() };
    const line = await w.orchestrator.takeForStop('a', false);
    expect(line).toMatch(/^crosstalk: your turn in talk-1 \(turn 2\/20\)/);
    w.orchestrator.stateChanged('a');
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/busy#1', 'talk-1:delivered/hook#1']);
    expect(w.adapter.lines).toEqual([]);
    expect(w.handedOver).toEqual(['hook']);
    // On record: a second Stop hands over nothing.
    expect(await w.orchestrator.takeForStop('a', false)).toBeNull();
  });

  it('says waiting-input while a dialog is open', async () => {
    const w = await world();
    w.activity = { state: 'waiting-input', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the hold', () => w.receipts.length === 1);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/waiting-input#1']);
  });

  it('hands two pending turns over one at a time, oldest first, each on its own Stop', async () => {
    const w = await world({ relay: twoTalks() });
    w.activity = { state: 'working', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1', 'talk-2']);
    await until('both held', () => w.receipts.length === 2);
    const first = await w.orchestrator.takeForStop('a', false);
    const second = await w.orchestrator.takeForStop('a', true);
    const none = await w.orchestrator.takeForStop('a', true);
    await w.orchestrator.stop();
    expect(first).toMatch(/in talk-1 /);
    expect(second).toMatch(/in talk-2 /);
    expect(none).toBeNull();
    expect(w.adapter.lines).toEqual([]);
  });

  it('stops handing over after MAX_STOP_BLOCKS continuations in a row', async () => {
    const relay = talkRelay();
    for (let i = 2; i <= MAX_STOP_BLOCKS + 2; i++) {
      relay.commit(
        decideOpen(relay.state, {
          actor: { kind: 'session', session: 'b', host: 'h2' },
          id: `talk-${i}`,
          topic: 't',
          with: ['a'],
          body: 'hi',
          key: `k${i}`,
          at: relay.now(),
        }),
      );
    }
    const w = await world({ relay });
    w.activity = { state: 'working', heardAt: Date.now() };
    w.orchestrator.plan([...relay.state.conversations.keys()]);
    await until('all held', () => w.receipts.length === MAX_STOP_BLOCKS + 2);
    const lines: Array<string | null> = [];
    for (let i = 0; i <= MAX_STOP_BLOCKS; i++) lines.push(await w.orchestrator.takeForStop('a', i > 0));
    expect(lines.filter((l) => l !== null)).toHaveLength(MAX_STOP_BLOCKS);
    expect(lines[MAX_STOP_BLOCKS]).toBeNull();
    // A Stop that is not a continuation starts the count again.
    expect(await w.orchestrator.takeForStop('a', false)).not.toBeNull();
    await w.orchestrator.stop();
  });

  it('delivers what was held when the session goes idle, to a hook that waits to wake it', async () => {
    const offered: string[] = [];
    const w = await world({
      offer: (line) => {
        offered.push(line);
        return true;
      },
    });
    w.activity = { state: 'working', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the hold', () => w.receipts.length === 1);
    w.setState('idle');
    await until('the handover', () => w.receipts.length === 2);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/busy#1', 'talk-1:delivered/hook#1']);
    expect(offered).toHaveLength(1);
    expect(w.adapter.lines).toEqual([]);
  });

  it("holds a waiting hook's wake-up while the screen shows a person's draft, as it would a typed one", async () => {
    const offered: string[] = [];
    const w = await world({
      outcomes: [{ status: 'deferred', reason: 'draft' }],
      offer: (line) => {
        offered.push(line);
        return true;
      },
    });
    w.activity = { state: 'idle', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the handover', () => w.receipts.length === 2);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/draft#1', 'talk-1:delivered/hook#1']);
    expect(offered).toHaveLength(1);
  });

  it('types into an idle session when no hook waits, and into one without hooks as before', async () => {
    const w = await world({ offer: () => false });
    w.activity = { state: 'idle', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the receipt', () => w.receipts.length === 1);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:delivered#1']);
    expect(w.adapter.lines).toHaveLength(1);
    expect(w.handedOver).toEqual(['typed']);
  });

  it('reminds a session that went idle without answering after the grace, not after the long wait', async () => {
    const w = await world({ idleGraceMs: 30, nudgeAfterMs: 60_000, maxNudges: 1 });
    w.activity = { state: 'idle', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the delivery', () => w.receipts.length === 1);
    w.setState('working');
    w.setState('idle');
    await until('the reminder', () => w.receipts.length === 2);
    w.setState('working');
    w.setState('idle');
    await until('the moderator is told', () => w.receipts.length === 3);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:delivered#1', 'talk-1:delivered#2', 'talk-1:failed/unanswered#2']);
    expect(w.adapter.lines[1]).toMatch(/^crosstalk: reminder: your turn in talk-1/);
  });

  it('looks at the screen when a busy session has been silent, and holds on while the screen agrees', async () => {
    const busy: WakeOutcome = { status: 'deferred', reason: 'busy', detail: 'esc to interrupt' };
    const w = await world({ outcomes: [busy, busy], recheckMs: 20 });
    w.activity = { state: 'working', heardAt: Date.now() - 1_000 };
    w.orchestrator.plan(['talk-1']);
    // Held, then twice checked on the screen (busy), then typed once the screen shows the prompt.
    await until('the delivery', () => w.receipts.some((r) => r.status === 'delivered'));
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/busy#1', 'talk-1:delivered#1']);
    expect(w.adapter.lines).toHaveLength(3);
    expect(w.journal.all()[0]).toMatchObject({ deferrals: 0 });
  });

  it('looks at the screen of a session at a dialog soon, since declining it fires no hook', async () => {
    const w = await world({ recheckMs: 60_000, dialogRecheckMs: 20 });
    w.activity = { state: 'waiting-input', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    // The person declined: no hook said so, the screen shows the prompt, the line is typed.
    await until('the delivery', () => w.receipts.some((r) => r.status === 'delivered'));
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/waiting-input#1', 'talk-1:delivered#1']);
  });

  it('looks again shortly, without a receipt, at a busy screen just after the session said it was idle', async () => {
    const busy: WakeOutcome = { status: 'deferred', reason: 'busy' };
    const w = await world({ outcomes: [busy, busy] });
    w.activity = { state: 'idle', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the delivery', () => w.receipts.length === 1);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:delivered#1']);
    expect(w.adapter.lines).toHaveLength(3);
  });

  it('defers as before when the screen stays busy long after the session said it was idle', async () => {
    const w = await world({ outcomes: [{ status: 'deferred', reason: 'busy' }] });
    w.activity = { state: 'idle', heardAt: Date.now() - 10_000 };
    w.orchestrator.plan(['talk-1']);
    await until('the deferral', () => w.receipts.length === 1);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:deferred/busy#1']);
  });

  it('tries a failed wake-up again when its session comes back', async () => {
    const w = await world({ outcomes: [{ status: 'failed', reason: 'pane-gone' }] });
    w.orchestrator.plan(['talk-1']);
    await until('the failure', () => w.receipts.length === 1);
    w.orchestrator.retryFailed('a');
    await until('the second try', () => w.receipts.length === 2);
    await w.orchestrator.stop();
    expect(summary(w.receipts)).toEqual(['talk-1:failed/pane-gone#1', 'talk-1:delivered#1']);
  });

  it('hands nothing over while the replica is not live', async () => {
    const w = await world();
    w.activity = { state: 'working', heardAt: Date.now() };
    w.orchestrator.plan(['talk-1']);
    await until('the hold', () => w.receipts.length === 1);
    w.orchestrator.setLive(false);
    expect(await w.orchestrator.takeForStop('a', false)).toBeNull();
    await w.orchestrator.stop();
  });
});
