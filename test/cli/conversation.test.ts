// The commands coding agents use, end to end: real CLI processes against a real relay and two
// real host agents, checking human output, --json field by field, stdin bodies and exit codes.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, Lab, type Host } from '../support/index.js';
import { documentedFields, keys, shapeFields } from './fields.js';

let lab: Lab;
let alpha: Host;
let beta: Host;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

beforeAll(async () => {
  lab = await Lab.create('conversation');
  await lab.startRelay();
  alpha = await lab.host('alpha');
  beta = await lab.host('beta');
  await Promise.all([lab.startAgent(alpha), lab.startAgent(beta)]);
  for (const [host, name] of [
    [alpha, 'a1'],
    [beta, 'b1'],
  ] as const) {
    const r = await host.run(['join', '--as', name, '--no-wake']);
    expect(r.exitCode, explain(r)).toBe(0);
  }
});
afterAll(() => lab?.cleanup());

/** Opens a conversation a1 → b1 and returns its id. */
async function open(topic: string, extra: string[] = []): Promise<string> {
  const r = await alpha.run(['open', '--as', 'a1', '--topic', topic, '--with', 'b1', '--body', `About ${topic}.`, ...extra]);
  expect(r.exitCode, explain(r)).toBe(0);
  return r.stdout.trim();
}

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
    expect(keys(a2)).toEqual(['host', 'joinedAt', 'kind', 'name', 'online', 'wake']);
    expect(data.sessions.map((s) => s.name)).toEqual([...data.sessions.map((s) => s.name as string)].sort());

    const human = await beta.run(['sessions']);
    expect(human.stdout).toMatch(/^SESSION\s+HOST\s+KIND\s+WAKE\s+ONLINE\s+JOINED$/m);
    expect(human.stdout).toMatch(/^a2\s+alpha\s+codex\s+none\s/m);
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
    expect(data.conversation).toMatchObject({ id: data.id, topic: 'release plan', status: 'in-progress', participants: ['a1', 'b1'], moderator: 'a1', next: ['b1'], turns: 1, maxTurns: 6, openedBy: 'a1' });
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
    const data = j.json<{ id: string; conversation: { turns: number; next: string[] }; turn: { n: number; author: string; body: string }; duplicate: boolean }>();
    expect(keys(data)).toEqual(documentedFields('reply'));
    expect(data).toMatchObject({ id, conversation: { turns: 3, next: ['b1'] }, turn: { n: 3, author: 'a1', body: 'Our CI pins 2.0; checking.' }, duplicate: false });
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
    await lab.waitFor('a receipt for b1', async () => (await beta.run(['status', id, '--json'])).json<{ receipts: Array<{ session: string; turn: number }> }>().receipts.some((x) => x.session === 'b1' && x.turn === 4));
    const r = await beta.run(['status', id, '--json']);
    const data = r.json<Record<string, unknown> & { receipts: Array<Record<string, unknown>>; lastActivity: Record<string, unknown> }>();
    expect(keys(data)).toEqual(documentedFields('status'));
    expect(data).toMatchObject({ id, status: 'in-progress', turns: 3, maxTurns: 20, next: ['b1'], moderator: 'a1', participants: ['a1', 'b1'], proposal: null, decision: null, resolution: null });
    expect(data.lastActivity).toMatchObject({ by: 'a1', what: 'turn 3' });
    const b1 = data.receipts.find((x) => x.session === 'b1');
    expect(b1).toMatchObject({ session: 'b1', turn: 4, status: 'failed', reason: 'no-wake-target', attempt: 1 });
    expect(keys(b1)).toEqual(['at', 'attempt', 'reason', 'session', 'status', 'turn']);

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
    expect(a.json<{ conversation: { status: string; next: string[] }; turn: { agrees: number } }>()).toMatchObject({ conversation: { status: 'converged', next: [] }, turn: { agrees: 4 } });
    const s = await alpha.run(['status', id]);
    expect(s.stdout).toContain('decision:      Pin 2.1.2 everywhere');
    const read = await alpha.run(['read', id]);
    expect(read.stdout).toContain('decision: "Pin 2.1.2 everywhere"');
    expect(read.stdout).toContain('## Decision — turn 4, agreed by b1, a1');
  });
});

describe('errors', () => {
  it('not your turn (exit 3), with the hint to wait', async () => {
    const id = await open('whose turn');
    const first = await beta.run(['reply', id, '--as', 'b1', '--body', 'mine']);
    expect(first.exitCode, explain(first)).toBe(0);
    const r = await beta.run(['reply', id, '--as', 'b1', '--body', 'me again']);
    expect(r.exitCode, explain(r)).toBe(3);
    expect(r.stderr).toContain("it is not b1's turn");
    expect(r.stderr).toContain('[NOT_YOUR_TURN]');
    expect(r.stderr).toContain('next: wait for your turn with `crosstalk wait <id>`');
  });

  it('a stale expected turn is a conflict (exit 3), never an interleave', async () => {
    const id = await open('stale turns');
    const first = await beta.run(['reply', id, '--as', 'b1', '--body', 'first', '--expect-turn', '2']);
    expect(first.exitCode, explain(first)).toBe(0);
    const stale = await alpha.run(['reply', id, '--as', 'a1', '--body', 'late', '--expect-turn', '2', '--json']);
    expect(stale.exitCode, explain(stale)).toBe(3);
    expect(stale.json<{ error: Record<string, unknown> }>().error).toMatchObject({ code: 'TURN_CONFLICT', details: { expectedTurn: 2, nextTurn: 3 } });
    expect(keys(stale.json<{ error: unknown }>().error)).toEqual(['code', 'details', 'hint', 'message']);
    expect(stale.stderr).toContain('[TURN_CONFLICT]');
  });

  it('unknown conversations and sessions (exit 1)', async () => {
    const r = await alpha.run(['read', 'no-such-talk-0000']);
    expect(r.exitCode, explain(r)).toBe(1);
    expect(r.stderr).toContain('[CONVERSATION_NOT_FOUND]');
    expect(r.stderr).toContain('crosstalk list');

    const withGhost = await alpha.run(['open', '--as', 'a1', '--topic', 'ghosts', '--with', 'nobody-here', '--body', 'hello?']);
    expect(withGhost.exitCode, explain(withGhost)).toBe(1);
    expect(withGhost.stderr).toContain('no session named nobody-here [SESSION_NOT_FOUND]');

    const asGhost = await alpha.run(['open', '--as', 'ghost', '--topic', 'ghosts', '--with', 'b1', '--body', 'hello?']);
    expect(asGhost.exitCode, explain(asGhost)).toBe(1);
    expect(asGhost.stderr).toContain('[SESSION_NOT_FOUND]');
  });

  it('bad names are usage errors (exit 2) and nothing is sent', async () => {
    for (const args of [
      ['open', '--as', 'Bad_Name', '--topic', 't', '--with', 'b1', '--body', 'x'],
      ['open', '--as', 'a1', '--topic', 't', '--with', 'b1,con', '--body', 'x'],
      ['reply', '../etc', '--as', 'a1', '--body', 'x'],
      ['status', 'UPPER'],
    ]) {
      const r = await alpha.run(args);
      expect(r.exitCode, explain(r)).toBe(2);
      expect(r.stderr).toContain('[INVALID_NAME]');
    }
  });

  it('an oversized body is refused before sending (exit 2), from stdin and from a file', async () => {
    const id = await open('big bodies');
    const big = 'x'.repeat(64 * 1024 + 1);
    const r = await beta.run(['reply', id, '--as', 'b1'], { input: big });
    expect(r.exitCode, explain(r)).toBe(2);
    expect(r.stderr).toContain('[BODY_TOO_LARGE]');
    const file = join(lab.dir, 'big.md');
    await writeFile(file, big);
    const f = await beta.run(['reply', id, '--as', 'b1', '--body-file', file]);
    expect(f.exitCode, explain(f)).toBe(2);
    expect(f.stderr).toContain('[BODY_TOO_LARGE]');
    const turns = (await beta.run(['read', id, '--json'])).json<{ conversation: { turns: unknown[] } }>().conversation.turns;
    expect(turns).toHaveLength(1);
    // Exactly the limit is fine.
    const ok = await beta.run(['reply', id, '--as', 'b1'], { input: 'y'.repeat(64 * 1024) });
    expect(ok.exitCode, explain(ok)).toBe(0);
  });

  it('empty and invalid bodies are usage errors (exit 2)', async () => {
    const id = await open('empty bodies');
    const empty = await beta.run(['reply', id, '--as', 'b1', '--body', '   ']);
    expect(empty.exitCode, explain(empty)).toBe(2);
    expect(empty.stderr).toContain('[EMPTY_BODY]');
    const invalid = await beta.run(['reply', id, '--as', 'b1'], { input: Buffer.from([0x68, 0x69, 0xff, 0xfe]) });
    expect(invalid.exitCode, explain(invalid)).toBe(2);
    expect(invalid.stderr).toContain('[INVALID_TEXT]');
    const both = await beta.run(['reply', id, '--as', 'b1', '--body', 'a', '--body-file', '-']);
    expect(both.exitCode, explain(both)).toBe(2);
  });

  it('no session identity (exit 2) says how to get one, outside tmux and in an unjoined pane', async () => {
    const r = await alpha.run(['open', '--topic', 'who am i', '--with', 'b1', '--body', 'x']);
    expect(r.exitCode, explain(r)).toBe(2);
    expect(r.stderr).toContain('[NO_SESSION]');
    expect(r.stderr).toContain('--as <session>');
    const pane = await alpha.run(['list', '--mine'], { env: { TMUX: '/tmp/nowhere/sock,4242,0', TMUX_PANE: '%77' } });
    expect(pane.exitCode, explain(pane)).toBe(2);
    expect(pane.stderr).toContain('no session is joined in tmux pane %77');
    expect(pane.stderr).toContain('crosstalk join --as <name>');
  });

  it("acting as another host's session is refused (exit 4)", async () => {
    const id = await open('impostors');
    const r = await alpha.run(['reply', id, '--as', 'b1', '--body', 'I am b1']);
    expect(r.exitCode, explain(r)).toBe(4);
    expect(r.stderr).toContain('[SESSION_NOT_OWNED]');
  });

  it('usage errors exit 2', async () => {
    const cases = [
      ['open', '--as', 'a1', '--with', 'b1', '--body', 'no topic'],
      ['open', '--as', 'a1', '--topic', 'no one', '--body', 'x'],
      ['reply'],
      ['reply', 'some-id-1234', '--propose', '--agree', '--body', 'x', '--as', 'a1'],
      ['list', '--no-such-option'],
      ['open', '--as', 'a1', '--topic', 't', '--with', 'b1', '--body', 'x', '--max-turns', 'lots'],
      ['wait', 'some-id-1234', '--timeout', '-1', '--as', 'a1'],
      ['moderate', 'some-id-1234', '--extend', '2', '--next', 'b1', '--as', 'a1'],
      ['moderate', 'some-id-1234', '--as', 'a1'],
      ['nonsense'],
      ['relay'],
    ];
    for (const args of cases) {
      const r = await alpha.run(args);
      expect(r.exitCode, explain(r)).toBe(2);
    }
  });
});

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
    expect(out).toMatch(/## Closed — a1 @ .*\n\nSeen live\.\n$/);
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
