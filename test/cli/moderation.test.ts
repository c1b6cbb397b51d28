// Moderation, closing, and following a conversation live with tail -f.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type Host, type Lab } from '../harness/index.js';
import { documentedFields, keys, shapeFields } from './fields.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let open: (topic: string, extra?: string[]) => Promise<string>;

beforeAll(async () => {
  ({ lab, alpha, beta, open } = await twoHosts('moderation'));
});
afterAll(() => lab?.cleanup());

describe('moderate and close', () => {
  it('the moderator extends, hands the floor and adds participants; others cannot (exit 3)', async () => {
    const id = await open('moderation', ['--max-turns', '2']);
    const reply = await beta.run(['reply', id, '--as', 'b1', '--body', 'second and last']);
    expect(reply.stdout).toContain('at its turn limit; the floor is with the moderator a1');
    const limited = await beta.run(['reply', id, '--as', 'b1', '--body', 'one more?']);
    expect(limited.exitCode, explain(limited)).toBe(3);
    expect(limited.stderr).toContain('[LIMIT_REACHED]');

    const notMod = await beta.run(['moderate', id, '--as', 'b1', '--extend', '5']);
    expect(notMod.exitCode, explain(notMod)).toBe(3);
    expect(notMod.stderr).toContain('[NOT_MODERATOR]');

    const ext = await alpha.run(['moderate', id, '--as', 'a1', '--extend', '5', '--json']);
    expect(ext.exitCode, explain(ext)).toBe(0);
    const data = ext.json<{ conversation: Record<string, unknown>; seq: number }>();
    expect(keys(data)).toEqual(documentedFields('moderate'));
    expect(keys(data.conversation)).toEqual(shapeFields('Summary'));
    expect(data.conversation).toMatchObject({ status: 'in-progress', maxTurns: 7, turns: 2 });

    const next = await alpha.run(['moderate', id, '--as', 'a1', '--next', 'b1']);
    expect(next.exitCode, explain(next)).toBe(0);
    expect(next.stdout).toContain('next: b1');
    const join = await alpha.run(['join', '--as', 'a4', '--no-wake']);
    expect(join.exitCode, explain(join)).toBe(0);
    const add = await alpha.run(['moderate', id, '--as', 'a1', '--add', 'a4']);
    expect(add.stdout).toContain('participants: a1, b1, a4');
    const ghost = await alpha.run(['moderate', id, '--as', 'a1', '--add', 'ghost']);
    expect(ghost.exitCode, explain(ghost)).toBe(1);
    expect(ghost.stderr).toContain('[SESSION_NOT_FOUND]');
  });

  it('from a shell that is no session, moderate and ask say to pass --as, join as oneself, or use --admin', async () => {
    const id = await open('who moderates');
    const extend = await alpha.run(['moderate', id, '--extend', '10']);
    expect(extend.exitCode, explain(extend)).toBe(2);
    expect(extend.stderr).toContain('[NO_SESSION]');
    expect(extend.stderr).toContain('pass --as <session>');
    expect(extend.stderr).toContain('`crosstalk join --as <you> --no-wake`');
    expect(extend.stderr).toContain('act as the relay admin with --admin');
    const ask = await alpha.run(['ask', 'b1', 'run the tests']);
    expect(ask.exitCode, explain(ask)).toBe(2);
    expect(ask.stderr).toContain('pass --as <session>');
    expect(ask.stderr).toContain('`crosstalk join --as <you> --no-wake`');
    expect(ask.stderr).not.toContain('--admin');
  });

  it('close records the resolution; a closed conversation takes no turns (exit 3)', async () => {
    const id = await open('closing');
    const notMod = await beta.run(['close', id, '--as', 'b1', '--resolution', 'done']);
    expect(notMod.exitCode, explain(notMod)).toBe(3);
    const r = await alpha.run(['close', id, '--as', 'a1', '--resolution', 'Nothing to decide.', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(keys(r.json())).toEqual(documentedFields('close'));
    expect(r.json<{ conversation: { status: string; next: string[] } }>().conversation).toMatchObject({ status: 'closed', next: [] });
    const late = await beta.run(['reply', id, '--as', 'b1', '--body', 'wait!']);
    expect(late.exitCode, explain(late)).toBe(3);
    expect(late.stderr).toContain('[CONVERSATION_CLOSED]');
    const missing = await alpha.run(['close', id, '--as', 'a1']);
    expect(missing.exitCode, explain(missing)).toBe(2);
  });

  it('--admin moderates and closes with the admin key from the relay data dir', async () => {
    const id = await open('admin powers');
    const home = lab.relay?.home as string;
    const m = await lab.run(home, ['moderate', id, '--admin', '--next', 'a1']);
    expect(m.exitCode, explain(m)).toBe(0);
    const c = await lab.run(home, ['close', id, '--admin', '--resolution', 'Closed by the admin.']);
    expect(c.exitCode, explain(c)).toBe(0);
    const read = await alpha.run(['read', id]);
    expect(read.stdout).toContain('## Moderation — admin @');
    expect(read.stdout).toContain('## Closed — admin @');
    // A home without a relay data dir has no admin key.
    const none = await alpha.run(['close', id, '--admin', '--resolution', 'x']);
    expect(none.exitCode, explain(none)).toBe(1);
    expect(none.stderr).toContain('is not a relay data dir');
  });
});

describe('tail', () => {
  it('prints the conversation; -f follows turns, notes and the close live, then exits 0', async () => {
    const id = await open('live tail');
    const once = await alpha.run(['tail', id]);
    expect(once.exitCode, explain(once)).toBe(0);
    expect(once.stdout).toContain('## Opening — a1 @');

    const tail = lab.spawn('tail -f', alpha.home, ['tail', id, '-f']);
    await lab.waitFor('tail to print the opening', () => tail.stdout().includes(`About live tail.`));
    const r = await beta.run(['reply', id, '--as', 'b1', '--body', 'A reply that tail must show.']);
    expect(r.exitCode, explain(r)).toBe(0);
    await lab.waitFor('tail to print the reply', () => tail.stdout().includes('A reply that tail must show.'));
    await alpha.run(['moderate', id, '--as', 'a1', '--extend', '3']);
    await lab.waitFor('tail to print the note', () => tail.stdout().includes('Extended the turn limit to 23.'));
    await alpha.run(['close', id, '--as', 'a1', '--resolution', 'Seen live.']);
    const exit = await tail.exited;
    expect(exit.exitCode, tail.stderr()).toBe(0);
    const out = tail.stdout();
    expect(out.indexOf('## Reply — b1')).toBeGreaterThan(out.indexOf('## Opening — a1'));
    expect(out.indexOf('## Moderation — a1')).toBeGreaterThan(out.indexOf('## Reply — b1'));
    expect(out).toMatch(/## Closed — a1 @ .*\n\n```\nSeen live\.\n```\n$/);
  });

  it('--json -f prints one object per line', async () => {
    const id = await open('json tail');
    const tail = lab.spawn('tail -f --json', beta.home, ['tail', id, '-f', '--json']);
    await lab.waitFor('the first line', () => tail.stdout().includes('\n'));
    await beta.run(['reply', id, '--as', 'b1', '--body', 'json line']);
    await lab.waitFor('the turn line', () => tail.stdout().includes('json line'));
    await alpha.run(['close', id, '--as', 'a1', '--resolution', 'ok']);
    expect((await tail.exited).exitCode).toBe(0);
    const lines = tail
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; conversation?: { id: string }; turn?: { n: number; body: string }; status?: string });
    expect(lines[0]).toMatchObject({ type: 'conversation', conversation: { id } });
    expect(lines.find((l) => l.type === 'turn')).toMatchObject({ turn: { n: 2, body: 'json line' } });
    expect(lines.at(-1)).toMatchObject({ type: 'status', status: 'closed' });
  });
});
