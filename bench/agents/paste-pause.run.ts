// The shortest pause between the bracketed paste of a wake-up line and its Enter that the real
// Claude Code and Codex still take as a submission, 100 times in 100, with both cores kept busy.
// Each trial is a real wake-up (the product's tmux waker, its screen checks included) with the
// pause under test; it counts only if the first Enter submitted the line and the model received
// exactly the line. Pauses are tried from the shortest up; the first with 100 of 100 is printed,
// and the wake-up uses at least twice it (MEASURED_SETTLE_MS in the agent's terminals/types.ts).
// Run: npm run bench:agents -- bench/agents/paste-pause.run.ts
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWaker } from '../../packages/agent/src/terminals/waker.js';
import type { Host } from '../../test/harness/index.js';
import { skipRealAgents } from '../../test/agents/support/prereqs.js';
import { type RealKind, Stage } from '../../test/agents/support/stage.js';

const TRIALS = 100;
const PAUSES_MS = [0, 5, 10, 25, 50, 100, 150, 200, 300];
const skip = skipRealAgents();

/** Busy loops on every core, so the agents read their input on a loaded machine. */
function burnCpus(): ChildProcess[] {
  return cpus().map(() => spawn(process.execPath, ['-e', 'const end = Date.now() + 1_800_000; while (Date.now() < end) {}'], { stdio: 'ignore' }));
}

describe.skipIf(skip)('the pause between the paste and Enter, real agents under load', () => {
  let stage: Stage;
  let host: Host;
  let burners: ChildProcess[] = [];
  const lines: string[] = [];
  beforeAll(async () => {
    stage = await Stage.create('pause');
    host = await stage.host('pause-box');
    burners = burnCpus();
  });
  afterAll(async () => {
    for (const b of burners) b.kill('SIGKILL');
    await stage?.cleanup();
    process.stdout.write(`\npaste → Enter: shortest pause submitted ${TRIALS} times in ${TRIALS} (both cores busy)\n${lines.join('\n')}\n`);
  });

  for (const kind of ['claude-code', 'codex'] as const satisfies readonly RealKind[]) {
    it(`${kind}: the shortest pause that is submitted ${TRIALS} of ${TRIALS} times`, async () => {
      const name = `${kind === 'codex' ? 'cx' : 'cc'}-pause`;
      const session = await stage.start(kind, host, name, { permissions: 'bypass' });
      const target = { type: 'tmux' as const, socket: host.tmux.socket, pane: session.pane };
      const tried: string[] = [];
      let found: number | undefined;
      for (const pause of PAUSES_MS) {
        let retries = 0;
        const waker = createWaker({
          platform: process.platform,
          timeouts: { userIdleMs: 0, settleMsByKind: { 'claude-code': pause, codex: pause } },
          logger: { debug: (_obj: object, msg: string) => void (msg.includes('still on the prompt') && retries++), warn: () => undefined },
        });
        let ok = 0;
        let failure = '';
        for (let trial = 1; trial <= TRIALS && failure === ''; trial++) {
          await stage.waitFor(`${name} at its empty prompt`, async () => (await session.verdict()).state === 'ready');
          const text = `RUN: echo pause-${pause}-trial-${trial}`;
          const asked = stage.mock.prompts().length;
          const outcome = await waker.wake(target, text, { kind });
          if (outcome.status !== 'delivered')
            failure = `trial ${trial}: ${outcome.status} ${'reason' in outcome ? `${outcome.reason}: ${outcome.detail ?? ''}` : ''}`;
          else if (retries > 0) failure = `trial ${trial}: the first Enter did not submit the line`;
          if (failure !== '') break;
          const prompt = await stage.waitFor(
            `the model to receive trial ${trial}`,
            async () =>
              stage.mock
                .prompts()
                .slice(asked)
                .find((p) => p.includes(`pause-${pause}-trial-${trial}`)),
            30_000,
          );
          if (prompt.trim() !== text) failure = `trial ${trial}: the model received ${JSON.stringify(prompt.slice(0, 120))}`;
          else ok++;
        }
        tried.push(`${pause} ms: ${ok}/${TRIALS}${failure ? ` (${failure})` : ''}`);
        if (failure !== '') {
          // Whatever the failed trial left in the input goes, so the next pause starts clean.
          await session.keys('C-u');
          await stage.waitFor(`${name} idle after the failed trial`, async () => {
            const state = (await session.verdict()).state;
            if (state === 'draft') await session.keys('C-u');
            return state === 'ready';
          });
          continue;
        }
        found = pause;
        break;
      }
      const [one] = loadavg();
      lines.push(
        `${kind.padEnd(12)} ${found === undefined ? 'none of the pauses tried' : `${found} ms`} (tried: ${tried.join('; ')}; load ${one?.toFixed(2)})`,
      );
      expect(stage.mock.failures).toEqual([]);
    });
  }
});
