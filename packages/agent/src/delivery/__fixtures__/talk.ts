// The wake-up tests' world: host h1 (this agent) with session a, host h2 with session b, and
// conversation talk-1 that b opened with a, so it is a's turn; an orchestrator for h1 over it.
import { decideOpen, type ReceiptBody, type SessionKind, type WakeTarget } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import type { WakeAdapter } from '../../terminals/index.js';
import type { WakeJournal } from '../journal.js';
import { WakeOrchestrator, type OrchestratorOptions } from '../orchestrator.js';
import type { ActivityView } from '../policy.js';

export const quiet = { debug: () => {}, info: () => {}, warn: () => {} };
export const pane: WakeTarget = { type: 'tmux', pane: '%1', socket: '/tmp/none' };

/** A relay where b (host h2) opened talk-1 with a (host h1, woken through `wake`). */
export function talkRelay(wake: WakeTarget = pane, kind: SessionKind = 'other'): MemoryRelay {
  const relay = new MemoryRelay();
  relay.append({ type: 'session.registered', at: relay.now(), session: { name: 'a', host: 'h1', kind, wake, joinedAt: relay.now() } });
  relay.register('b', 'h2');
  relay.commit(
    decideOpen(relay.state, {
      actor: { kind: 'session', session: 'b', host: 'h2' },
      id: 'talk-1',
      topic: 't',
      with: ['a'],
      body: 'hi',
      key: 'k1',
      at: relay.now(),
    }),
  );
  return relay;
}

/** Host h1's orchestrator over `relay`'s state; its receipts go to `receipts`. */
export function orchestratorFor(
  relay: MemoryRelay,
  parts: { adapter: WakeAdapter; journal: WakeJournal; receipts: ReceiptBody[] } & Partial<
    Pick<
      OrchestratorOptions,
      'nudgeAfterMs' | 'maxNudges' | 'retry' | 'toldByWait' | 'offerToHook' | 'onHandedOver' | 'recheckMs' | 'dialogRecheckMs' | 'idleGraceMs'
    >
  > & { activity?: (session: string) => ActivityView },
): WakeOrchestrator {
  return new WakeOrchestrator({
    adapter: parts.adapter,
    journal: parts.journal,
    view: {
      conversation: (id) => relay.state.conversations.get(id),
      conversationIds: () => relay.state.conversations.keys(),
      isLocal: (s) => relay.state.sessions.get(s)?.host === 'h1',
      target: (s) => relay.state.sessions.get(s)?.wake,
      kind: (s) => relay.state.sessions.get(s)?.kind,
      copyPath: (id) => `/copies/${id}.md`,
      activity: parts.activity,
    },
    nudgeAfterMs: parts.nudgeAfterMs ?? 60_000,
    maxNudges: parts.maxNudges ?? 2,
    retry: parts.retry,
    sendReceipt: (r) => parts.receipts.push(r),
    toldByWait: parts.toldByWait,
    offerToHook: parts.offerToHook,
    onHandedOver: parts.onHandedOver,
    recheckMs: parts.recheckMs,
    dialogRecheckMs: parts.dialogRecheckMs,
    idleGraceMs: parts.idleGraceMs,
    log: quiet,
  });
}
