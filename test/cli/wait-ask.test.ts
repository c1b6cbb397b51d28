// `wait` and `ask` against scripted peer sessions: panes in a private tmux server that the peer's
// host agent wakes, and that answer through the real `crosstalk reply`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, Lab, scriptedSession, type Host, type ScriptedSession } from '../harness/index.js';
import { documentedFields, keys } from './fields.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let helper: ScriptedSession;
let waiter: ScriptedSession;

beforeAll(async () => {
  lab = await Lab.create('wait-ask');
  await lab.startRelay();
  alpha = await lab.host('alpha');
  beta = await lab.host('beta');
  await Promise.all([lab.startAgent(alpha), lab.startAgent(beta)]);
  const me = await alpha.run(['join', '--as', 'asker', '--no-wake']);
  expect(me.exitCode, explain(me)).toBe(0);
  // A peer that answers every wake-up, and one that never does.
  helper = await scriptedSession(lab, beta, { name: 'helper', reply: 'All 42 tests pass' });
  const silent = await beta.run(['join', '--as', 'silent', '--no-wake']);
  expect(silent.exitCode, explain(silent)).toBe(0);
  // A coding agent in a pane that only records what reaches it; the test runs its commands.
  waiter = await scriptedSession(lab, alpha, { name: 'waiter' });
});
afterAll(() => lab?.cleanup());

describe('the scripted peer', () => {
  it('joined from its pane, and knows itself there without --as', async () => {
    const joined = await helper.joined();
    expect(joined.exitCode, joined.stderr).toBe(0);
    expect(JSON.parse(joined.stdout)).toMatchObject({
      session: 'helper',
      host: 'beta',
      kind: 'other',
      wake: { type: 'tmux', pane: helper.pane, panePid: helper.panePid, agentCommand: 'scripted-agent' },
    });
    const whoami = await helper.whoami();
    expect(whoami.exitCode, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ host: 'beta', session: { name: 'helper', wake: { type: 'tmux', pane: helper.pane } } });
  });
});

describe('wait', () => {
  it('exits 0 once it is your turn (the peer answered after its wake-up)', async () => {
    const open = await alpha.run(['open', '--as', 'asker', '--topic', 'test count', '--with', 'helper', '--body', 'How many tests pass?']);
    expect(open.exitCode, explain(open)).toBe(0);
    const id = open.stdout.trim();
    const r = await alpha.run(['wait', id, '--as', 'asker', '--timeout', '60', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<Record<string, unknown>>();
    expect(keys(data)).toEqual(documentedFields('wait'));
    expect(data).toEqual({ id, session: 'asker', result: 'your-turn', status: 'in-progress', turn: 3, maxTurns: 20, next: ['asker'] });
    const reply = await lab.waitFor("helper's reply to be recorded", async () => (await helper.replies()).find((x) => x.id === id));
    expect(reply).toMatchObject({ turn: 2, exitCode: 0 });
    const lines = await helper.lines();
    expect(
      lines.some(
        (l) =>
          l.startsWith(`crosstalk: your turn in ${id} (turn 2/20). New turns: crosstalk read ${id} --new --as helper;`) &&
          l.endsWith(`Answer with: crosstalk reply ${id} --as helper --expect-turn 2`),
      ),
    ).toBe(true);

    // Already your turn: returns at once, in words.
    const again = await alpha.run(['wait', id, '--as', 'asker']);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(again.stdout).toBe(`your turn in ${id} (turn 3/20); next: asker\n`);
  });

  it('times out with exit 124', async () => {
    const open = await alpha.run(['open', '--as', 'asker', '--topic', 'nobody answers', '--with', 'silent', '--body', 'Hello?']);
    const id = open.stdout.trim();
    const r = await alpha.run(['wait', id, '--as', 'asker', '--timeout', '1.5']);
    expect(r.exitCode, explain(r)).toBe(124);
    expect(r.stderr).toContain(`timed out after 1.5 s waiting in ${id} [TIMEOUT]`);
    expect(r.stderr).toContain('hint: retry with a longer --timeout');
  });

  it('exits 10 when the conversation ends while waiting', async () => {
    const open = await alpha.run(['open', '--as', 'asker', '--topic', 'ended early', '--with', 'silent', '--body', 'Hello?']);
    const id = open.stdout.trim();
    const waiting = lab.spawn('wait', alpha.home, ['wait', id, '--as', 'asker', '--timeout', '60', '--json']);
    await lab.waitFor('wait to start waiting', () => waiting.stderr().includes(`waiting for asker's turn in ${id} (next: silent)`));
    const close = await alpha.run(['close', id, '--as', 'asker', '--resolution', 'Never mind.']);
    expect(close.exitCode, explain(close)).toBe(0);
    const exit = await waiting.exited;
    expect(exit.exitCode, waiting.stderr()).toBe(10);
    expect(JSON.parse(waiting.stdout())).toEqual({ id, session: 'asker', result: 'ended', status: 'closed', turn: 2, maxTurns: 20, next: [] });
    const after = await beta.run(['wait', id, '--as', 'silent']);
    expect(after.exitCode, explain(after)).toBe(10);
    expect(after.stdout).toBe(`${id} was closed: Never mind.\n`);
  });

  it('exits 10 at the limit when the moderator, not you, holds the floor', async () => {
    const open = await alpha.run(['open', '--as', 'asker', '--topic', 'short talk', '--with', 'silent', '--max-turns', '2', '--body', 'One question.']);
    const id = open.stdout.trim();
    const reply = await beta.run(['reply', id, '--as', 'silent', '--body', 'One answer.']);
    expect(reply.exitCode, explain(reply)).toBe(0);
    const silent = await beta.run(['wait', id, '--as', 'silent']);
    expect(silent.exitCode, explain(silent)).toBe(10);
    expect(silent.stdout).toContain('reached its limit of 2 turns; the floor is with the moderator asker');
    const moderator = await alpha.run(['wait', id, '--as', 'asker']);
    expect(moderator.exitCode, explain(moderator)).toBe(0);
    expect(moderator.stdout).toContain('asker moderates it');
  });

  it('refuses a session that does not take part (exit 2)', async () => {
    const open = await alpha.run(['open', '--as', 'asker', '--topic', 'outsiders', '--with', 'silent', '--body', 'x']);
    const r = await beta.run(['wait', open.stdout.trim(), '--as', 'helper', '--timeout', '5']);
    expect(r.exitCode, explain(r)).toBe(2);
    expect(r.stderr).toContain('[NOT_A_PARTICIPANT]');
  });
});

describe('ask', () => {
  it('prints the answer on stdout and the conversation id on stderr', async () => {
    const r = await alpha.run(['ask', 'helper', 'run the test suite and tell me the count', '--as', 'asker', '--timeout', '60']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe('All 42 tests pass (turn 2)\n');
    const id = /asked helper in ([a-z0-9-]+);/.exec(r.stderr)?.[1];
    expect(id, r.stderr).toMatch(/^run-the-test-suite-and-tell-me-the-count-[a-z0-9]{4}$/);
    const read = await alpha.run(['read', id as string, '--json']);
    const c = read.json<{ conversation: { topic: string; participants: string[]; turns: Array<{ author: string; body: string }> } }>().conversation;
    expect(c.topic).toBe('run the test suite and tell me the count');
    expect(c.participants).toEqual(['asker', 'helper']);
    expect(c.turns.map((t) => [t.author, t.body])).toEqual([
      ['asker', 'run the test suite and tell me the count'],
      ['helper', 'All 42 tests pass (turn 2)'],
    ]);
  });

  it('--json gives the answer and the answering turns', async () => {
    const r = await alpha.run(['ask', 'helper', 'check the lint', '--as', 'asker', '--topic', 'lint', '--timeout', '60', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<{ id: string; turns: Array<{ n: number; author: string }> } & Record<string, unknown>>();
    expect(keys(data)).toEqual(documentedFields('ask'));
    expect(data).toMatchObject({ to: 'helper', result: 'your-turn', status: 'in-progress', answer: 'All 42 tests pass (turn 2)' });
    expect(data.id).toMatch(/^lint-[a-z0-9]{4}$/);
    expect(data.turns.map((t) => [t.n, t.author])).toEqual([[2, 'helper']]);
  });

  it('times out with exit 124 when nobody answers', async () => {
    const r = await alpha.run(['ask', 'silent', 'are you there?', '--as', 'asker', '--timeout', '1.5']);
    expect(r.exitCode, explain(r)).toBe(124);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/asked silent in are-you-there-[a-z0-9]{4}/);
    expect(r.stderr).toContain('[TIMEOUT]');
  });

  it('Ctrl-C stops only the waiting: it says the conversation stays open and how to close it', async () => {
    const asking = lab.spawn('ask', alpha.home, ['ask', 'silent', 'anyone home?', '--as', 'asker', '--timeout', '60']);
    const id = await lab.waitFor('ask to wait', () => /asked silent in (anyone-home-[a-z0-9]{4}); waiting/.exec(asking.stderr())?.[1]);
    const exit = await asking.stop('SIGINT');
    expect(exit.exitCode, asking.stderr()).toBe(130);
    expect(asking.stderr()).toContain(`stopped waiting; ${id} stays open and silent still has the turn`);
    expect(asking.stderr()).toContain(`\`crosstalk close ${id} --as asker --resolution "withdrawn"\``);
    const status = await alpha.run(['status', id, '--json']);
    expect(status.json<{ status: string; next: string[] }>()).toMatchObject({ status: 'in-progress', next: ['silent'] });
  });

  it('refuses to ask itself or an unknown session', async () => {
    const self = await alpha.run(['ask', 'asker', 'hello me', '--as', 'asker']);
    expect(self.exitCode, explain(self)).toBe(2);
    const ghost = await alpha.run(['ask', 'ghost', 'hello?', '--as', 'asker']);
    expect(ghost.exitCode, explain(ghost)).toBe(1);
    expect(ghost.stderr).toContain('[SESSION_NOT_FOUND]');
  });
});

describe('a session blocked in wait or ask', () => {
  type Receipts = { receipts: Array<{ session: string; turn: number; status: string; reason?: string }> };
  const receiptFor = (id: string, session: string, turn: number) =>
    lab.waitFor(`the receipt of ${session}'s turn ${turn} in ${id}`, async () =>
      (await alpha.run(['status', id, '--json'])).json<Receipts>().receipts.find((x) => x.session === session && x.turn === turn),
    );
  const linesAbout = async (id: string) => (await waiter.lines()).filter((l) => l.includes(` ${id} `));

  it('gets no typed line about the turn its wait returns with; later turns are typed again', async () => {
    const open = await alpha.run(['open', '--as', 'waiter', '--topic', 'blocked in wait', '--with', 'silent', '--body', 'Over to you.']);
    expect(open.exitCode, explain(open)).toBe(0);
    const id = open.stdout.trim();
    const waiting = lab.spawn('wait', alpha.home, ['wait', id, '--as', 'waiter', '--timeout', '60']);
    await lab.waitFor('wait to start waiting', () => waiting.stderr().includes(`waiting for waiter's turn in ${id}`));
    const answer = await beta.run(['reply', id, '--as', 'silent', '--body', 'Back to you.']);
    expect(answer.exitCode, explain(answer)).toBe(0);
    const exit = await waiting.exited;
    expect(exit.exitCode, waiting.stderr()).toBe(0);
    expect(waiting.stdout()).toBe(`your turn in ${id} (turn 3/20); next: waiter\n`);
    expect(await receiptFor(id, 'waiter', 3)).toMatchObject({ status: 'delivered', reason: 'waiting' });
    expect(await linesAbout(id)).toEqual([]);

    // Without a wait, the next turn is typed as usual.
    expect((await alpha.run(['reply', id, '--as', 'waiter', '--body', 'Noted.'])).exitCode).toBe(0);
    expect((await beta.run(['reply', id, '--as', 'silent', '--body', 'And again.'])).exitCode).toBe(0);
    expect(await receiptFor(id, 'waiter', 5)).toMatchObject({ status: 'delivered' });
    const lines = await lab.waitFor('the typed line', async () => ((await linesAbout(id)).length > 0 ? linesAbout(id) : undefined));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^crosstalk: your turn in ${id} \\(turn 5/20\\)\\. New turns: .* --expect-turn 5$`))]);
  });

  it('gets no typed line about the answer its ask prints', async () => {
    const r = await alpha.run(['ask', 'helper', 'count the tests', '--as', 'waiter', '--timeout', '60']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe('All 42 tests pass (turn 2)\n');
    const id = /asked helper in ([a-z0-9-]+);/.exec(r.stderr)?.[1] as string;
    expect(await receiptFor(id, 'waiter', 3)).toMatchObject({ status: 'delivered', reason: 'waiting' });
    expect(await linesAbout(id)).toEqual([]);
  });
});
