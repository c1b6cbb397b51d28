// `crosstalk spawn` with the real Claude Code and Codex (against the mock model): lead asks worker
// to start each with a first task; worker's agent starts it on its private tmux server with the
// hooks installed, waits until it is ready, and types the task, which reaches the model; the
// session runs it (opening a conversation with lead1), then answers a turn lead1 gives it; `kill`
// leaves no process and no tmux server. Times from spawn to first answer: bench/agents/spawn.run.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../harness/index.js';
import { skipRealAgents } from './support/prereqs.js';
import { alive, openedBy, reportPrompt, type SpawnStage, spawnStage } from './support/spawn-stage.js';

const skip = skipRealAgents();

describe.skipIf(skip)('crosstalk spawn with the real coding agents', () => {
  let s: SpawnStage;
  beforeAll(async () => {
    s = await spawnStage('spawn');
  });
  afterAll(() => s?.stage.cleanup());

  for (const kind of ['claude-code', 'codex'] as const) {
    it(`${kind}: spawned with a task that reaches the model, answers a turn, and kill cleans up`, async () => {
      const name = `${kind === 'claude-code' ? 'claude' : 'codex'}-helper`;
      const r = await s.lead.run(['spawn', kind, '--host', 'worker', '--as', name, '--cwd', s.cwd[kind], '--prompt', reportPrompt(name), '--json'], {
        timeoutMs: 150_000,
      });
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.json()).toMatchObject({ session: name, host: 'worker', kind, cwd: s.cwd[kind] });
      const [pid] = await s.spawnedPids();
      expect(pid).toBeGreaterThan(0);

      // The task reached the model as it was typed, and the session ran it.
      const { id } = await openedBy(s, name);
      expect(s.stage.mock.prompts().some((p) => p.includes(reportPrompt(name)))).toBe(true);

      // A turn for it: woken on worker, it answers with the reply command.
      const reply = await s.lead.run(['reply', id, '--as', 'lead1', '--body', 'Thanks. Anything else?']);
      expect(reply.exitCode, explain(reply)).toBe(0);
      const answered = await s.stage.waitFor(
        `${name} to answer turn 3`,
        async () => {
          const c = await s.stage.conversation(s.lead, id);
          return c.turns.length >= 3 && c;
        },
        120_000,
      );
      expect(answered.turns[2]).toMatchObject({ author: name });
      expect(answered.turns[2]?.body.trimEnd()).toBe(`answer from ${name} to turn 3`);
      expect(s.stage.mock.failures).toEqual([]);

      const killed = await s.lead.run(['kill', name, '--json']);
      expect(killed.exitCode, explain(killed)).toBe(0);
      expect(alive(pid as number)).toBe(false);
      expect(await s.spawnTmux(['list-sessions'])).toBeNull();
      expect(await s.spawnedPids()).toEqual([]);
    });
  }
});
