// How long `crosstalk spawn` takes to give a session that has done its first task, with the real
// Claude Code and Codex (against the mock model, which answers at once): from running the
// command on one host to the relay's time of the first turn the spawned session posts (its task
// opens a conversation). That is the start of the coding agent, its readiness, the typed task and
// one model round trip. Prints medians of 5 per kind; asserts nothing about time.
// Run: npx vitest run --project agents-bench bench/agents/spawn.run.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median } from '../lib/stats.mjs';
import { explain } from '../../test/harness/index.js';
import { skipRealAgents } from '../../test/agents/support/prereqs.js';
import { openedBy, reportPrompt, type SpawnStage, spawnStage } from '../../test/agents/support/spawn-stage.js';

const ROUNDS = 5;
const skip = skipRealAgents();

describe.skipIf(skip)('spawn to first answer, real agents', () => {
  let s: SpawnStage;
  const lines: string[] = [];
  beforeAll(async () => {
    s = await spawnStage('spawn-bench');
  });
  afterAll(async () => {
    await s?.stage.cleanup();
    process.stdout.write(`\nspawn → first answer, median of ${ROUNDS}\n${lines.join('\n')}\n`);
  });

  for (const kind of ['claude-code', 'codex'] as const) {
    it(kind, async () => {
      const times: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const name = `${kind === 'claude-code' ? 'claude' : 'codex'}-${round}`;
        const t0 = Date.now();
        const r = await s.lead.run(['spawn', kind, '--host', 'worker', '--as', name, '--cwd', s.cwd[kind], '--prompt', reportPrompt(name)], {
          timeoutMs: 150_000,
        });
        expect(r.exitCode, explain(r)).toBe(0);
        const { at } = await openedBy(s, name);
        times.push(at - t0);
        const killed = await s.lead.run(['kill', name]);
        expect(killed.exitCode, explain(killed)).toBe(0);
      }
      lines.push(`${kind}: ${Math.round(median(times) ?? Number.NaN)} ms (each: ${times.map((t) => Math.round(t)).join(', ')} ms)`);
    });
  }
});
