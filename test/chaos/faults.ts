// The faults of the chaos suite, drawn from a seed and spread over the run: relay kill -9 and
// restart, agent kill -9 and restart, connection resets and blackholes at the fault proxies.
// Each fault is due at a count of acknowledged turns; posting waits at that count until the fault
// has started, so faults land in the middle of the traffic, never all after it.
import { waitFor } from '@crosstalk/core/test-support';
import type { AgentProc, FaultProxy, RelayProc, Rng } from '../harness/index.js';

export type FaultKind = 'relay-kill' | 'agent-kill' | 'reset' | 'blackhole';

export interface FaultCounts {
  'relay-kill': number;
  'agent-kill': number;
  reset: number;
  blackhole: number;
}

interface Planned {
  kind: FaultKind;
  at: number;
  started: boolean;
}

export interface FaultFigures extends FaultCounts {
  /** Connections the resets cut. */
  connectionsCut: number;
  /** Blackholed connections that both ends dropped on their own: links by their heartbeats, idle kept-alive HTTP connections by their idle timeouts. */
  heartbeatDrops: number;
}

export interface Targets {
  relay: RelayProc;
  agents: AgentProc[];
  proxies: FaultProxy[];
  logs: () => string;
}

export class Faults {
  readonly done: FaultFigures = { 'relay-kill': 0, 'agent-kill': 0, reset: 0, blackhole: 0, connectionsCut: 0, heartbeatDrops: 0 };
  /** Milliseconds spent performing each kind. */
  readonly spentMs: FaultCounts = { 'relay-kill': 0, 'agent-kill': 0, reset: 0, blackhole: 0 };
  private readonly plan: Planned[];
  private waiters: Array<() => void> = [];

  constructor(
    counts: FaultCounts,
    total: number,
    private readonly rng: Rng,
    private readonly targets: Targets,
  ) {
    const kinds: FaultKind[] = (Object.keys(counts) as FaultKind[]).flatMap((k) => Array<FaultKind>(counts[k]).fill(k));
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [kinds[i], kinds[j]] = [kinds[j] as FaultKind, kinds[i] as FaultKind];
    }
    // Evenly spread over the first 90% of the turns, with some jitter.
    const span = total * 0.9;
    this.plan = kinds.map((kind, i) => ({ kind, at: Math.max(1, Math.floor(((i + 0.5) / kinds.length) * span + rng.int(-2, 2))), started: false }));
    this.plan.sort((a, b) => a.at - b.at);
  }

  /** Resolves once every fault due at `acked` has started. */
  gate = (acked: number): Promise<void> => {
    if (this.plan.every((f) => f.started || f.at > acked)) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve)).then(() => this.gate(acked));
  };

  private started(f: Planned): void {
    f.started = true;
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  /** Runs every fault in order as the posted count reaches it. */
  async run(acked: () => number): Promise<void> {
    for (const f of this.plan) {
      await waitFor(`${f.at} acknowledged turns (next fault: ${f.kind})`, () => acked() >= f.at, {
        timeoutMs: 120_000,
        intervalMs: 5,
        logs: this.targets.logs,
      });
      this.started(f);
      const t0 = Date.now();
      await this.perform(f.kind);
      this.spentMs[f.kind] += Date.now() - t0;
      this.done[f.kind]++;
    }
  }

  private async perform(kind: FaultKind): Promise<void> {
    const { relay, agents, proxies, logs } = this.targets;
    switch (kind) {
      case 'relay-kill':
        await relay.kill9();
        await relay.restart();
        return;
      case 'agent-kill': {
        const agent = this.rng.pick(agents);
        await agent.kill9();
        await agent.restart();
        return;
      }
      case 'reset': {
        const proxy = this.rng.pick(proxies);
        // An agent may be between connections; a reset is only one if it cuts something.
        await waitFor('a connection to reset', () => proxy.live > 0, { timeoutMs: 30_000, intervalMs: 5, logs });
        this.done.connectionsCut += proxy.reset();
        return;
      }
      case 'blackhole': {
        const proxy = this.rng.pick(proxies);
        // An established link (not one still in its handshake): the heartbeats are what must notice.
        await waitFor('an established link to blackhole', () => proxy.established > 0, { timeoutMs: 30_000, intervalMs: 5, logs });
        const { caught, heal } = proxy.blackhole();
        try {
          // Long enough for both ends' heartbeats to give up on the silent connection.
          await waitFor('both ends to drop the blackholed connection', () => proxy.gaveUp(caught), { timeoutMs: 30_000, intervalMs: 20, logs });
          this.done.heartbeatDrops += caught.size;
        } finally {
          heal();
        }
        return;
      }
    }
  }
}
