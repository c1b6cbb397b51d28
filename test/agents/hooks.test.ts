// A turn never stalls (SPEC §6), with the real Claude Code and Codex and the hooks that
// `crosstalk skill install` puts in place: a turn posted while the agent works is held and handed
// over through its Stop hook once the task ends (nothing typed); two such turns are both answered;
// an idle Claude Code is woken by its waiting hook (nothing typed); a session that goes idle
// without answering is reminded after the grace, not ten minutes later. The mock model holds its
// answers back to keep an agent working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../harness/index.js';
import { answerBody, decide } from './mock-model/brain.js';
import { skipRealAgents } from './support/prereqs.js';
import { Stage } from './support/stage.js';

const skip = skipRealAgents();
/** Short, so the reminder test does not wait long; the default is 20 s. */
const GRACE_SECONDS = 3;

describe.skipIf(skip)('hooks: what a session does decides when its turn reaches it', () => {
  let stage: Stage;
  let here: Host;
  let there: Host;
  beforeAll(async () => {
    stage = await Stage.create('hooks');
    here = await stage.host('agents-box', { idleGraceSeconds: GRACE_SECONDS });
    there = await stage.host('peer-box');
    const joined = await there.run(['join', '--as', 'peer', '--no-wake']);
    if (joined.exitCode !== 0) throw new Error(joined.stderr);
  });
  afterAll(() => stage?.cleanup());

  /** Waits until the conversation has its turn 2, by `session`. */
  const answered = (id: string, session: string) =>
    stage
      .waitFor(
        `${session} to answer ${id}`,
        async () => {
          const c = await stage.conversation(there, id);
          return c.turns.length >= 2 && c.turns[1];
        },
        120_000,
      )
      .then((turn) => {
        expect(turn.author).toBe(session);
        expect(turn.body.trimEnd()).toBe(answerBody(session, '2'));
      });

  it('Claude Code: a turn posted while it works is answered through its Stop hook once the task ends, nothing typed', async () => {
    const claude = await stage.start('claude-code', here, 'claude-busy', { permissions: 'unset', skill: true });
    const gate = stage.mock.hold();
    await claude.prompt(`RUN: crosstalk whoami --as ${claude.name}`);
    await stage.waitFor('claude-busy working', async () => (await stage.state(there, claude.name)) === 'working');
    const id = await stage.open(there, 'peer', [claude.name]);
    await stage.waitFor('the turn held', async () => (await stage.receipts(id, claude.name)).includes('deferred/busy#1'));
    gate.release();
    await answered(id, claude.name);
    // Held, then handed over by the Stop hook: never typed (a typed line reports a plain `delivered`).
    expect(await stage.receipts(id, claude.name)).toEqual(['deferred/busy#1', 'delivered/hook#1']);
    const prompt = stage.mock.prompts('anthropic').find((p) => p.includes(`your turn in ${id} `));
    expect(prompt).toMatch(/Stop hook feedback/);
    expect(stage.mock.failures).toEqual([]);
  });

  it('Codex: two turns posted while it works are both answered, one after the other', async () => {
    const codex = await stage.start('codex', here, 'codex-busy', { permissions: 'default', skill: true });
    const gate = stage.mock.hold();
    await codex.prompt(`RUN: crosstalk whoami --as ${codex.name}`);
    await stage.waitFor('codex-busy working', async () => (await stage.state(there, codex.name)) === 'working');
    const first = await stage.open(there, 'peer', [codex.name]);
    const second = await stage.open(there, 'peer', [codex.name]);
    for (const id of [first, second]) await stage.waitFor(`${id} held`, async () => (await stage.receipts(id, codex.name)).includes('deferred/busy#1'));
    gate.release();
    await answered(first, codex.name);
    await answered(second, codex.name);
    for (const id of [first, second]) expect(await stage.receipts(id, codex.name)).toEqual(['deferred/busy#1', 'delivered/hook#1']);
    expect(stage.mock.failures).toEqual([]);
  });

  it('Claude Code idle: its waiting hook wakes it with the turn, nothing typed', async () => {
    const claude = await stage.start('claude-code', here, 'claude-idle', { permissions: 'unset', skill: true });
    const prompted = Date.now();
    await claude.prompt(`RUN: crosstalk whoami --as ${claude.name}`);
    await stage.waitFor('claude-idle idle after its first task', async () => (await stage.state(there, claude.name, prompted)) === 'idle');
    const id = await stage.open(there, 'peer', [claude.name]);
    await answered(id, claude.name);
    expect(await stage.receipts(id, claude.name)).toEqual(['delivered/hook#1']);
    expect(stage.mock.failures).toEqual([]);
  });

  it('a session that goes idle without answering is reminded after the grace', async () => {
    const claude = await stage.start('claude-code', here, 'claude-forgets', { permissions: 'unset', skill: true });
    const prompted = Date.now();
    await claude.prompt(`RUN: crosstalk whoami --as ${claude.name}`);
    await stage.waitFor('claude-forgets idle after its first task', async () => (await stage.state(there, claude.name, prompted)) === 'idle');
    // Its Stop hook comes before its last frame; on a loaded machine that frame (still working)
    // can outlast the agent's second look and defer the first wake-up, which is not this test's subject.
    await stage.waitFor('claude-forgets at its empty prompt', async () => (await claude.verdict()).state === 'ready');
    // The first time it hears of the turn, it does something else and stops.
    let forgot = false;
    stage.mock.decide = (text, style) => {
      if (!forgot && text.includes(`--as ${claude.name}`) && /your turn in/.test(text)) {
        forgot = true;
        return { command: `crosstalk whoami --as ${claude.name}` };
      }
      return decide(text, style);
    };
    try {
      const id = await stage.open(there, 'peer', [claude.name]);
      // Within answered()'s deadline: far sooner than the 600 s a session without hooks waits.
      await answered(id, claude.name);
      expect(forgot).toBe(true);
      expect(await stage.receipts(id, claude.name)).toEqual(['delivered/hook#1', 'delivered/hook#2']);
      const reminder = stage.mock.prompts('anthropic').find((p) => p.includes(`reminder: your turn in ${id} `));
      expect(reminder).toBeDefined();
    } finally {
      stage.mock.decide = decide;
    }
  });
});
