// `crosstalk ask` against the real Claude Code and Codex (mock model, which answers at once): the
// whole round trip as a person or a coding agent runs it, from starting the command to its exit
// with the answer, and its parts — the CLI until the task is on record (the relay's time of the
// opening turn), the wake-up until the coding agent asked its model, the agent's own turn until
// its `crosstalk reply` is on record, and the answer reaching `ask`. Prints medians of 10;
// asserts nothing about time.
// Run: npm run bench:agents -- bench/agents/ask.run.ts
import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median } from '../lib/stats.mjs';
import { explain, type Host } from '../../test/harness/index.js';
import { skipRealAgents } from '../../test/agents/support/prereqs.js';
import { type SessionOptions, Stage } from '../../test/agents/support/stage.js';

const ROUNDS = 10;
const skip = skipRealAgents();

const ms = (xs: number[]) => `${Math.round(median(xs) ?? Number.NaN)} ms`;

describe.skipIf(skip)('crosstalk ask, real agents', () => {
  let stage: Stage;
  let here: Host;
  let there: Host;
  const lines: string[] = [];
  beforeAll(async () => {
    stage = await Stage.create('ask');
    here = await stage.host('agents-box');
    there = await stage.host('asker-box');
    const joined = await there.run(['join', '--as', 'asker', '--no-wake']);
    if (joined.exitCode !== 0) throw new Error(joined.stderr);
  });
  afterAll(async () => {
    await stage?.cleanup();
    process.stdout.write(`\ncrosstalk ask → answer, median of ${ROUNDS} (load ${loadavg()[0]?.toFixed(2)})\n${lines.join('\n')}\n`);
  });

  for (const kind of ['claude-code', 'codex'] as const) {
    it(`${kind}: ${ROUNDS} asks of an idle session`, async () => {
      const options: SessionOptions = kind === 'claude-code' ? { permissions: 'unset', skill: true } : { permissions: 'default', skill: true };
      const session = await stage.start(kind, here, `${kind === 'codex' ? 'cx' : 'cc'}-ask`, options);
      const parts = { total: [] as number[], post: [] as number[], wake: [] as number[], answer: [] as number[], back: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        // Codex says nothing by its hooks before its first prompt: its screen says it is at its prompt.
        await stage.waitFor(`${session.name} idle`, async () => {
          const state = await stage.state(there, session.name);
          return state === 'idle' || (state !== 'working' && (await session.verdict()).state === 'ready');
        });
        const asked = stage.mock.exchanges.length;
        const start = Date.now();
        const r = await there.run([
          'ask',
          session.name,
          `task ${round}: which response shape should GET /users use?`,
          '--as',
          'asker',
          '--json',
          '--timeout',
          '120',
        ]);
        const end = Date.now();
        expect(r.exitCode, explain(r)).toBe(0);
        const { id } = r.json<{ id: string }>();
        const c = (await stage.conversation(there, id)) as unknown as { turns: Array<{ author: string; at: string }> };
        const [task, reply] = c.turns;
        expect(reply?.author).toBe(session.name);
        const prompted = stage.mock.exchanges.slice(asked).find((e) => e.asked.kind === 'prompt' && JSON.stringify(e.asked).includes(id));
        if (!prompted) throw new Error(`the model was never asked about ${id}`);
        const posted = Date.parse(task?.at as string);
        const answered = Date.parse(reply?.at as string);
        parts.total.push(end - start);
        parts.post.push(posted - start);
        parts.wake.push(prompted.at - posted);
        parts.answer.push(answered - prompted.at);
        parts.back.push(end - answered);
      }
      lines.push(
        `${kind.padEnd(12)} ask → answer ${ms(parts.total)}: CLI → task on record ${ms(parts.post)}, → model asked ${ms(parts.wake)}, → reply on record ${ms(parts.answer)}, → ask exits ${ms(parts.back)}`,
      );
      expect(stage.mock.failures).toEqual([]);
    });
  }
});
