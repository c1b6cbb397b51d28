// A wake-up that failed because no coding agent ran in the pane (a bare shell): doctor fails the
// session's check, naming the conversation and turn still owed and what to do; once the coding
// agent runs in the pane and the session joins again there, the failed wake-up is tried again,
// the session answers, and doctor has nothing more to say about it. The moderator is told of the
// failure meanwhile.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_BIN, explain, type Host, Lab, NODE, repoFile } from '../harness/index.js';

let lab: Lab;
let host: Host;
beforeAll(async () => {
  lab = await Lab.create('failed-wake');
  await lab.startRelay();
  host = await lab.host('alpha');
  await lab.startAgent(host);
});
afterAll(() => lab?.cleanup());

type Doctor = { ok: boolean; checks: Array<{ name: string; status: string; message: string; hint?: string }> };
const sessionCheck = (d: Doctor) => d.checks.find((c) => c.name === 'session s1');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

it('doctor fails a session whose failed wake-up is still owed, and is content once joining again retried it', async () => {
  const { pane } = await host.tmux.window(['sh'], { CROSSTALK_HOME: host.home, PS1: '$ ' });
  const type = async (line: string) => {
    await host.tmux.run(['send-keys', '-t', pane, '-l', line]);
    await host.tmux.run(['send-keys', '-t', pane, 'Enter']);
  };
  // Joined from the bare shell: no coding agent runs in the pane.
  await type(`${quote(NODE)} ${quote(CLI_BIN)} join --as s1 --kind other`);
  await lab.waitFor('s1 to join', async () => (await host.run(['sessions', '--json'])).stdout.includes('"s1"'));
  expect((await host.run(['join', '--as', 'mod', '--no-wake'])).exitCode).toBe(0);
  const open = await host.run(['open', '--as', 'mod', '--topic', 'owed turn', '--with', 's1', '--body', 'Your turn.']);
  expect(open.exitCode, explain(open)).toBe(0);
  const id = open.stdout.trim();
  await lab.waitFor('a failed wake-up for s1', async () => {
    const r = await host.run(['status', id, '--json']);
    return r
      .json<{ receipts: Array<{ session: string; status: string; reason?: string }> }>()
      .receipts.some((x) => x.session === 's1' && x.status === 'failed');
  });
  // The moderator is told: an attempt to wake it about s1 (it polls, so nothing is typed for it).
  await lab.waitFor('the moderator told of the failed wake-up', async () => {
    const r = await host.run(['status', id, '--json']);
    return r.json<{ receipts: Array<{ session: string }> }>().receipts.some((x) => x.session === 'mod');
  });

  const failing = await lab.waitFor('doctor to name the owed turn', async () => {
    const r = await host.run(['doctor', '--json']);
    const check = sessionCheck(r.json<Doctor>());
    return check?.message.includes(`${id} turn 2`) ? { r, check } : undefined;
  });
  expect(failing.r.exitCode, explain(failing.r)).toBe(1);
  expect(failing.check).toMatchObject({ status: 'fail', message: expect.stringContaining('the turn is still unanswered') });
  expect(failing.check.hint).toContain('crosstalk join --as s1');
  const text = await host.run(['doctor']);
  expect(text.stdout).not.toContain('all checks passed');
  expect(text.stdout).toMatch(/\d checks? failed\.\n$/);

  // The coding agent starts in the pane and joins again there: the wake-up is tried again.
  const dir = join(lab.dir, 'sessions', 's1');
  await mkdir(dir, { recursive: true });
  const config = { dir, cli: CLI_BIN, session: 's1', kind: 'other', reply: 'answered after all' };
  await type(`exec ${quote(NODE)} ${quote(repoFile('test/harness/scripted-agent.mjs'))} ${quote(JSON.stringify(config))}`);
  await lab.waitFor('s1 to answer turn 2', async () => {
    const r = await host.run(['status', id, '--json']);
    return r.json<{ turns: number }>().turns >= 2;
  });
  const after = await lab.waitFor('doctor to be content with s1', async () => {
    const check = sessionCheck((await host.run(['doctor', '--json'])).json<Doctor>());
    return check?.status === 'ok' ? check : undefined;
  });
  expect(after.message).not.toContain('unanswered');
});
