// How long a turn takes to be answered by a real coding agent with crosstalk's hooks installed:
// posted while the agent works (held, then handed over by its Stop hook), and posted while it is
// idle (Claude Code: its waiting hook; Codex: typed). The real Claude Code and Codex against the
// mock model, which answers at once, so the figures are crosstalk's part plus the agents' own
// turn-taking. Times are the relay's: the turn's `at` to the answer's `at` (and, while busy, from
// the moment the task ends). Prints medians of 10; asserts nothing about time.
// Run: npm run bench:agents
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median } from '../lib/stats.mjs';
import type { Host } from '../../test/harness/index.js';
import { skipRealAgents } from '../../test/agents/support/prereqs.js';
import { type SessionOptions, Stage } from '../../test/agents/support/stage.js';

const ROUNDS = 10;
const skip = skipRealAgents();

const ms = (n: number | null) => `${Math.round(n ?? Number.NaN)} ms`;

describe.skipIf(skip)('turn to answer, real agents with hooks', () => {
  let stage: Stage;
  let here: Host;
  let there: Host;
  const lines: string[] = [];
  beforeAll(async () => {
    stage = await Stage.create('latency');
    here = await stage.host('agents-box');
    there = await stage.host('peer-box');
    const joined = await there.run(['join', '--as', 'peer', '--no-wake']);
    if (joined.exitCode !== 0) throw new Error(joined.stderr);
  });
  afterAll(async () => {
    await stage?.cleanup();
    process.stdout.write(`\nturn → answer, median of ${ROUNDS} (relay timestamps)\n${lines.join('\n')}\n`);
  });

  /** The relay's times of the turn and its answer, once answered. */
  async function answeredAt(id: string, session: string): Promise<{ posted: number; answered: number }> {
    const c = await stage.waitFor(
      `${session} to answer ${id}`,
      async () => {
        const conv = (await stage.conversation(there, id)) as { turns: Array<{ author: string; at?: string }> };
        return conv.turns.length >= 2 && conv;
      },
      120_000,
    );
    const [first, second] = c.turns as Array<{ author: string; at: string }>;
    expect(second?.author).toBe(session);
    return { posted: Date.parse(first?.at as string), answered: Date.parse(second?.at as string) };
  }

  /** Working on the prompt; an Enter the agent dropped (it came as part of a paste) is pressed again. */
  async function submitted(name: string, since: number, enter: () => Promise<void>): Promise<void> {
    for (let press = 1; press <= 3; press++) {
      const working = await stage
        .waitFor(`${name} working`, async () => (await stage.state(there, name, since)) === 'working', 5_000)
        .then(
          () => true,
          () => false,
        );
      if (working) return;
      await enter();
    }
    await stage.waitFor(`${name} working`, async () => (await stage.state(there, name, since)) === 'working');
  }

  for (const kind of ['claude-code', 'codex'] as const) {
    it(`${kind}: ${ROUNDS} turns posted while it works, ${ROUNDS} while it is idle`, async () => {
      const options: SessionOptions = kind === 'claude-code' ? { permissions: 'unset', skill: true } : { permissions: 'default', skill: true };
      const session = await stage.start(kind, here, `${kind === 'codex' ? 'cx' : 'cc'}-latency`, options);
      const busyTotal: number[] = [];
      const afterTask: number[] = [];
      const idle: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Busy: a task whose model answer is held; the turn is posted meanwhile, then the task ends.
        // Its hooks say idle a moment before its screen is ready for the next prompt.
        await stage.waitFor(`${session.name} at its empty prompt`, async () => (await session.verdict()).state === 'ready');
        const gate = stage.mock.hold();
        const prompted = Date.now();
        await session.prompt(`RUN: crosstalk whoami --as ${session.name}`);
        await submitted(session.name, prompted, () => session.keys('Enter'));
        const busyId = await stage.open(there, 'peer', [session.name]);
        await stage.waitFor('the turn held', async () => (await stage.receipts(busyId, session.name)).some((r) => r.startsWith('deferred/busy')));
        const released = Date.now();
        gate.release();
        const busy = await answeredAt(busyId, session.name);
        busyTotal.push(busy.answered - busy.posted);
        afterTask.push(busy.answered - released);

        // Idle: nothing running when the turn is posted.
        const settled = Date.now();
        await stage.waitFor(`${session.name} idle`, async () => (await stage.state(there, session.name, settled - 5_000)) === 'idle');
        const idleId = await stage.open(there, 'peer', [session.name]);
        const quiet = await answeredAt(idleId, session.name);
        idle.push(quiet.answered - quiet.posted);
        await stage.waitFor(`${session.name} idle again`, async () => (await stage.state(there, session.name)) === 'idle');
      }
      lines.push(
        `${kind.padEnd(12)} busy: posted → answer ${ms(median(busyTotal))}, task end → answer ${ms(median(afterTask))}; idle: posted → answer ${ms(median(idle))}`,
      );
      expect(stage.mock.failures).toEqual([]);
    });
  }
});
