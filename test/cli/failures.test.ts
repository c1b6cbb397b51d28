// What users see when things are missing or down: not enrolled, relay unreachable (exit 5, with
// the doctor hint), and `doctor` explaining both.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, Lab, type Host } from '../harness/index.js';
import { documentedFields, keys } from './fields.js';

let lab: Lab;
let alpha: Host;

beforeAll(async () => {
  lab = await Lab.create('failures');
  await lab.startRelay();
  alpha = await lab.host('alpha');
  const r = await alpha.run(['join', '--as', 'a1', '--no-wake']);
  expect(r.exitCode, explain(r)).toBe(0);
});
afterAll(() => lab?.cleanup());

describe('not enrolled', () => {
  it('every command that needs the relay says how to enroll (exit 4)', async () => {
    const empty = join(lab.dir, 'empty-home');
    for (const args of [['sessions'], ['list'], ['whoami'], ['read', 'some-talk-1234'], ['join', '--as', 'x', '--no-wake'], ['agent', 'run']]) {
      const r = await lab.run(empty, args);
      expect(r.exitCode, explain(r)).toBe(4);
      expect(r.stderr).toContain(`no agent configuration at ${join(empty, 'config.json')} [NOT_ENROLLED]`);
      expect(r.stderr).toContain('hint: run `crosstalk up` for a local relay, or `crosstalk agent join <relay-url> --invite <code>`');
    }
    const json = await lab.run(empty, ['sessions', '--json']);
    expect(json.json<{ error: { code: string } }>().error.code).toBe('NOT_ENROLLED');
  });

  it('doctor fails the enrollment check and skips what depends on it (exit 1)', async () => {
    const r = await lab.run(join(lab.dir, 'empty-home'), ['doctor', '--json']);
    expect(r.exitCode, explain(r)).toBe(1);
    const data = r.json<{ ok: boolean; checks: Array<{ name: string; status: string }> }>();
    expect(keys(data)).toEqual(documentedFields('doctor'));
    expect(data.ok).toBe(false);
    const status = Object.fromEntries(data.checks.map((c) => [c.name, c.status]));
    expect(status).toMatchObject({ enrollment: 'fail', relay: 'skip', clock: 'skip', auth: 'skip', agent: 'skip', copies: 'skip' });
  });
});

describe('relay unreachable', () => {
  it('commands exit 5 naming the relay and saying how to start it', async () => {
    const relay = lab.relay;
    if (!relay) throw new Error('no relay');
    const open = await alpha.run(['open', '--as', 'a1', '--topic', 'before the outage', '--with', 'a1', '--body', 'x']);
    // (a conversation with oneself is refused by the relay, which proves it was reachable)
    expect(open.stderr).toContain('[TOO_FEW_PARTICIPANTS]');
    await relay.proc.stop('SIGTERM');
    for (const args of [
      ['sessions'],
      ['list', '--json'],
      // Posts retry with their idempotency key for --post-timeout (default 60 s) before giving up.
      ['reply', 'some-talk-1234', '--as', 'a1', '--body', 'x', '--expect-turn', '2', '--post-timeout', '1'],
      ['open', '--as', 'a1', '--topic', 't', '--with', 'b1', '--body', 'x', '--post-timeout', '1'],
    ]) {
      const r = await alpha.run(args);
      expect(r.exitCode, explain(r)).toBe(5);
      expect(r.stderr).toContain(`relay unreachable at ${relay.url}`);
      expect(r.stderr).toContain('hint: the relay runs on this machine: start it with `crosstalk up` (relay and agent together) or `crosstalk relay serve`');
      expect(r.stderr).toContain('[RELAY_UNREACHABLE]');
    }
    const doctor = await alpha.run(['doctor']);
    expect(doctor.exitCode, explain(doctor)).toBe(1);
    expect(doctor.stdout).toMatch(/^fail\s+relay\s+relay unreachable at http/m);
    expect(doctor.stdout).toContain('hint: the relay runs on this machine: start it with `crosstalk up`');
    expect(doctor.stdout).not.toContain('try `crosstalk doctor`');
    expect(doctor.stdout).toMatch(/^fail\s+agent\s+the host agent is not running/m);
    expect(doctor.stdout).toMatch(/^ok\s+keys\s+/m);
    expect(doctor.stdout).toMatch(/^ok\s+copies\s+/m);
    expect(doctor.stdout).toMatch(/\d checks? failed\.\n$/);

    // Back up: the same home works again.
    await lab.restartRelay();
    const back = await alpha.run(['sessions']);
    expect(back.exitCode, explain(back)).toBe(0);
  });
});
