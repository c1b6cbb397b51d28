// The commands coding agents use, end to end: real CLI processes against a real relay and two
// real host agents, checking human output, --json field by field, stdin bodies and exit codes.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, explain, NODE, type Host, type Lab } from '../harness/index.js';
import { documentedFields, keys, shapeFields } from './fields.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
let alpha: Host;
let beta: Host;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

beforeAll(async () => {
  ({ lab, alpha, beta } = await twoHosts('conversation'));
});
afterAll(() => lab?.cleanup());

describe('join, whoami, sessions, leave', () => {
  it('join registers a session and --json prints its documented fields', async () => {
    const r = await alpha.run(['join', '--as', 'a2', '--kind', 'codex', '--no-wake', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<Record<string, unknown>>();
    expect(keys(data)).toEqual(documentedFields('join'));
    expect(data).toMatchObject({ session: 'a2', host: 'alpha', kind: 'codex', wake: { type: 'none' } });
    expect(data.joinedAt).toMatch(ISO);

    const human = await beta.run(['join', '--as', 'b2', '--no-wake']);
    expect(human.exitCode, explain(human)).toBe(0);
    expect(human.stdout).toContain('joined as b2 on host beta');
    expect(human.stdout).toContain('crosstalk wait');
  });

  it('join without tmux and without --no-wake says how to join (exit 2)', async () => {
    const r = await alpha.run(['join', '--as', 'a3']);
    expect(r.exitCode, explain(r)).toBe(2);
    expect(r.stderr).toContain('not running inside tmux');
    expect(r.stderr).toContain('--no-wake');
  });

  it('join from a bare shell in a tmux pane records no agent and says how to record one', async () => {
    const dir = join(lab.dir, 'bare-join');
    await mkdir(dir, { recursive: true });
    const script = `"$0" "$1" join --as a4 --kind claude-code > ${dir}/out 2> ${dir}/err; echo $? > ${dir}/exit; exec sleep 600`;
    const { pane } = await alpha.tmux.window(['/bin/sh', '-c', script, NODE, CLI_BIN], { CROSSTALK_HOME: alpha.home });
    const exit = await lab.waitFor('join in the pane to finish', () => readFile(join(dir, 'exit'), 'utf8').catch(() => undefined));
    const [out, err] = await Promise.all([readFile(join(dir, 'out'), 'utf8'), readFile(join(dir, 'err'), 'utf8')]);
    expect(exit.trim(), err).toBe('0');
    expect(out).toBe(`joined as a4 on host alpha; wake-ups are typed into tmux pane ${pane}\n`);
    expect(err).toContain('note: no coding agent runs in this pane yet; wake-ups are typed only while one does.');
    expect(err).toContain('`crosstalk join --as a4`');
    const who = await alpha.run(['whoami', '--as', 'a4', '--json']);
    expect(who.json<{ session: { wake: Record<string, unknown> } }>().session.wake).not.toHaveProperty('agentCommand');
    expect((await alpha.run(['leave', '--as', 'a4'])).exitCode).toBe(0);
  });

  it('whoami names the host, the relay and the session', async () => {
    const r = await alpha.run(['whoami', '--as', 'a2', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<Record<string, unknown>>();
    expect(keys(data)).toEqual(documentedFields('whoami'));
    expect(data).toMatchObject({ home: alpha.home, host: 'alpha', relayUrl: lab.relay?.url, session: { name: 'a2', kind: 'codex', wake: { type: 'none' } } });
    expect(data.conversationsDir).toBe(join(alpha.home, 'conversations'));

    const outside = await alpha.run(['whoami']);
    expect(outside.exitCode, explain(outside)).toBe(0);
    expect(outside.stdout).toContain('no session joined here');
    expect(outside.stdout).toContain('host alpha');
  });

  it('sessions lists every session with its host, kind and wake type', async () => {
    const r = await beta.run(['sessions', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<{ sessions: Array<Record<string, unknown>> }>();
    expect(keys(data)).toEqual(documentedFields('sessions'));
    const a2 = data.sessions.find((s) => s.name === 'a2');
    expect(a2).toMatchObject({ name: 'a2', host: 'alpha', kind: 'codex', wake: { type: 'none' } });
    expect(keys(a2)).toEqual(['host', 'joinedAt', 'kind', 'name', 'online', 'state', 'stateSince', 'wake']);
    // Without hooks a session's state is unknown.
    expect(a2?.state).toBe('unknown');
    expect(data.sessions.map((s) => s.name)).toEqual([...data.sessions.map((s) => s.name as string)].sort());

    const human = await beta.run(['sessions']);
    expect(human.stdout).toMatch(/^SESSION\s+HOST\s+KIND\s+WAKE\s+ONLINE\s+STATE\s+SINCE\s+JOINED$/m);
    expect(human.stdout).toMatch(/^a2\s+alpha\s+codex\s+none\s+yes\s+unknown\s+-\s/m);
  });

  it('leave unregisters a session here and on the relay; leaving again changes nothing', async () => {
    const r = await alpha.run(['leave', '--as', 'a2', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(keys(r.json())).toEqual(documentedFields('leave'));
    expect(r.json()).toEqual({ session: 'a2', removedOnRelay: true, removedLocally: true });
    const sessions = (await alpha.run(['sessions', '--json'])).json<{ sessions: Array<{ name: string }> }>().sessions;
    expect(sessions.map((s) => s.name)).not.toContain('a2');
    const again = await alpha.run(['leave', '--as', 'a2']);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(again.stdout).toContain('a2 was not joined; nothing to do');
  });

  it("leaving another host's session is refused (exit 4)", async () => {
    const r = await alpha.run(['leave', '--as', 'b2']);
    expect(r.exitCode, explain(r)).toBe(4);
    expect(r.stderr).toContain('[SESSION_NOT_OWNED]');
  });
});

describe('open, reply, read, list, status', () => {
  let id: string;

  it('open takes the body from stdin and prints only the id on stdout', async () => {
    const r = await alpha.run(['open', '--as', 'a1', '--topic', 'pytorch version sanity', '--with', 'b1'], { input: 'What pytorch are you on?\n' });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^pytorch-version-sanity-[a-z0-9]{4}\n$/);
    id = r.stdout.trim();
    expect(r.stderr).toContain(`opened ${id}; next: b1`);
  });

  it('open --json prints the documented fields, from --body-file', async () => {
    const file = join(lab.dir, 'opening.md');
    await writeFile(file, '# Release plan\n\nShip on Friday?\n');
    const r = await alpha.run(['open', '--as', 'a1', '--topic', 'release plan', '--with', 'b1', '--max-turns', '6', '--body-file', file, '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<{ id: string; conversation: Record<string, unknown>; turn: Record<string, unknown>; seq: number; duplicate: boolean }>();
    expect(keys(data)).toEqual(documentedFields('open'));
    expect(keys(data.conversation)).toEqual(shapeFields('Summary'));
    expect(keys(data.turn)).toEqual(['at', 'author', 'body', 'host', 'n', 'next']);
    expect(data.conversation).toMatchObject({
      id: data.id,
      topic: 'release plan',
      status: 'in-progress',
      participants: ['a1', 'b1'],
      moderator: 'a1',
      next: ['b1'],
      turns: 1,
      maxTurns: 6,
      openedBy: 'a1',
    });
    expect(data.turn).toMatchObject({ n: 1, author: 'a1', host: 'alpha', body: '# Release plan\n\nShip on Friday?\n', next: ['b1'] });
    expect(data.duplicate).toBe(false);
    expect(data.seq).toBeGreaterThan(0);
  });

  it('reply takes the body from --body-file - (stdin) and from stdin, and prints what happened', async () => {
    const r = await beta.run(['reply', id, '--as', 'b1', '--body-file', '-'], { input: '2.1.2 + CUDA 12.4. Why?\n' });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe(`posted turn 2/20 in ${id}; next: a1\n`);

    const j = await alpha.run(['reply', id, '--as', 'a1', '--json'], { input: 'Our CI pins 2.0; checking.' });
    expect(j.exitCode, explain(j)).toBe(0);
    const data = j.json<{
      id: string;
      conversation: { turns: number; next: string[] };
      turn: { n: number; author: string; body: string };
      duplicate: boolean;
    }>();
    expect(keys(data)).toEqual(documentedFields('reply'));
    expect(data).toMatchObject({
      id,
      conversation: { turns: 3, next: ['b1'] },
      turn: { n: 3, author: 'a1', body: 'Our CI pins 2.0; checking.' },
      duplicate: false,
    });
  });

  it('read prints the markdown copy the relay renders, the same bytes both agents wrote', async () => {
    const r = await alpha.run(['read', id]);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toContain(`id: "${id}"`);
    expect(r.stdout).toContain('## Opening — a1 @');
    expect(r.stdout).toContain('What pytorch are you on?');
    expect(r.stdout).toContain('## Reply — b1 @');
    for (const host of [alpha, beta]) {
      const copy = join(host.home, 'conversations', `${id}.md`);
      const text = await lab.waitFor(`the copy on ${host.name}`, async () => {
        const t = await readFile(copy, 'utf8').catch(() => '');
        return t.includes('turns: 3') ? t : undefined;
      });
      expect(text).toBe(r.stdout);
    }
  });

  it('read --since shows only the later turns; --json gives the structured conversation', async () => {
    const r = await beta.run(['read', id, '--since', '1']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).not.toContain('## Opening');
    expect(r.stdout).toContain('## Reply — b1 @');
    expect(r.stdout).toContain('Turn 3/20');

    const j = await beta.run(['read', id, '--since', '2', '--json']);
    expect(j.exitCode, explain(j)).toBe(0);
    const data = j.json<{ conversation: { turns: Array<{ n: number }> } & Record<string, unknown> }>();
    expect(keys(data)).toEqual(documentedFields('read'));
    expect(keys(data.conversation)).toEqual(shapeFields('Conversation'));
    expect(data.conversation.turns.map((t) => t.n)).toEqual([3]);
  });

  it('read --new shows where it stands and only what the session has not seen', async () => {
    const r = await beta.run(['read', id, '--new', '--as', 'b1']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toContain(`${id}: pytorch version sanity`);
    expect(r.stdout).toContain('status: in-progress, turn 3/20; next: b1; moderator: a1');
    expect(r.stdout).toContain('new since your turn 2: 1 turn');
    expect(r.stdout).toContain('Turn 3/20');
    expect(r.stdout).not.toContain('Turn 2/20');
    expect(r.stdout).not.toContain('## Opening');

    const mine = await alpha.run(['read', id, '--new', '--as', 'a1']);
    expect(mine.stdout).toContain('nothing new since your turn 3');
    expect(mine.stdout).not.toContain('## Reply');

    // A session that has not spoken gets everything; --json has the shape of --since.
    const j = await alpha.run(['read', id, '--new', '--as', 'a2', '--json']);
    expect(j.exitCode, explain(j)).toBe(0);
    const data = j.json<{ conversation: { turns: Array<{ n: number }> } & Record<string, unknown> }>();
    expect(keys(data)).toEqual(documentedFields('read'));
    expect(keys(data.conversation)).toEqual(shapeFields('Conversation'));
    expect(data.conversation.turns.map((t) => t.n)).toEqual([1, 2, 3]);
    const both = await alpha.run(['read', id, '--new', '--since', '1', '--as', 'a1']);
    expect(both.exitCode).toBe(2);
  });

  it('list shows conversations, only yours with --mine, filtered by --status', async () => {
    const r = await beta.run(['list', '--mine', '--as', 'b1', '--status', 'in-progress', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<{ conversations: Array<Record<string, unknown>> }>();
    expect(keys(data)).toEqual(documentedFields('list'));
    const found = data.conversations.find((c) => c.id === id);
    expect(keys(found)).toEqual(shapeFields('Summary'));
    expect(found).toMatchObject({ status: 'in-progress', turns: 3, next: ['b1'] });

    const none = await beta.run(['list', '--mine', '--as', 'b2', '--json']);
    expect(none.json<{ conversations: unknown[] }>().conversations).toEqual([]);
    const closed = await beta.run(['list', '--status', 'closed', '--json']);
    expect(closed.json<{ conversations: Array<{ id: string }> }>().conversations.map((c) => c.id)).not.toContain(id);

    const human = await beta.run(['list']);
    expect(human.stdout).toMatch(/^ID\s+STATUS\s+TURNS\s+NEXT\s+TOPIC$/m);
    expect(human.stdout).toMatch(new RegExp(`^${id}\\s+in-progress\\s+3/20\\s+b1\\s+pytorch version sanity$`, 'm'));

    const bad = await beta.run(['list', '--status', 'finished']);
    expect(bad.exitCode, explain(bad)).toBe(2);
    expect(bad.stderr).toContain('[INVALID_REQUEST]');
  });

  it('status shows who is next, the wake-up receipts and the last activity', async () => {
    // Both sessions joined without a terminal: their agents report that they cannot wake them.
    await lab.waitFor('a receipt for b1', async () =>
      (await beta.run(['status', id, '--json']))
        .json<{ receipts: Array<{ session: string; turn: number }> }>()
        .receipts.some((x) => x.session === 'b1' && x.turn === 4),
    );
    const r = await beta.run(['status', id, '--json']);
    const data = r.json<Record<string, unknown> & { receipts: Array<Record<string, unknown>>; lastActivity: Record<string, unknown> }>();
    expect(keys(data)).toEqual(documentedFields('status'));
    expect(data).toMatchObject({
      id,
      status: 'in-progress',
      turns: 3,
      maxTurns: 20,
      next: ['b1'],
      moderator: 'a1',
      participants: ['a1', 'b1'],
      proposal: null,
      decision: null,
      resolution: null,
    });
    expect(data.lastActivity).toMatchObject({ by: 'a1', what: 'turn 3' });
    const b1 = data.receipts.find((x) => x.session === 'b1');
    expect(b1).toMatchObject({ session: 'b1', host: 'beta', turn: 4, status: 'failed', reason: 'no-wake-target', attempt: 1 });
    expect(b1?.words).toBe('failed on host beta: the session joined without a terminal to type into; it polls');
    expect(keys(b1)).toEqual(['at', 'attempt', 'host', 'reason', 'session', 'status', 'turn', 'words']);

    const human = await beta.run(['status', id]);
    expect(human.stdout).toContain('next:          b1');
    expect(human.stdout).toContain('last activity: turn 3 by a1');
    expect(human.stdout).toMatch(/^\s+b1\s+4\s+failed \(no-wake-target\)\s+1\s/m);
  });

  it('a proposal and an agreement converge the conversation', async () => {
    const p = await beta.run(['reply', id, '--as', 'b1', '--propose', 'Pin 2.1.2 everywhere', '--body', 'Let us align on one version.']);
    expect(p.exitCode, explain(p)).toBe(0);
    const a = await alpha.run(['reply', id, '--as', 'a1', '--agree', '--body', 'Checked; agreed.', '--json']);
    expect(a.exitCode, explain(a)).toBe(0);
    expect(a.json<{ conversation: { status: string; next: string[] }; turn: { agrees: number } }>()).toMatchObject({
      conversation: { status: 'converged', next: [] },
      turn: { agrees: 4 },
    });
    const s = await alpha.run(['status', id]);
    expect(s.stdout).toContain('decision:      Pin 2.1.2 everywhere');
    const read = await alpha.run(['read', id]);
    expect(read.stdout).toContain('decision: "Pin 2.1.2 everywhere"');
    expect(read.stdout).toContain('## Decision — turn 4, agreed by b1, a1');
  });

  it('--propose alone takes the body from stdin as the decision, without the line end', async () => {
    const opened = await alpha.run(['open', '--as', 'a1', '--topic', 'decision from stdin', '--with', 'b1', '--body', 'Which shape?']);
    const conv = opened.stdout.trim();
    const p = await beta.run(['reply', conv, '--as', 'b1', '--propose', '--json'], { input: 'We take the paginated shape\n' });
    expect(p.exitCode, explain(p)).toBe(0);
    const s = await beta.run(['status', conv, '--json']);
    expect(s.json<{ proposal: { text: string } }>().proposal.text).toBe('We take the paginated shape');
    expect((await alpha.run(['reply', conv, '--as', 'a1', '--agree', '--body', 'Agreed.'])).exitCode).toBe(0);
    const read = await beta.run(['read', conv]);
    expect(read.stdout).toContain('decision: "We take the paginated shape"\n');
    expect(read.stdout).not.toContain('shape\\n');
  });
});
