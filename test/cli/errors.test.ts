// Every documented error a coding agent can hit, with its exit code, message and next step.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type Host, type Lab } from '../harness/index.js';
import { keys } from './fields.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let open: (topic: string, extra?: string[]) => Promise<string>;

beforeAll(async () => {
  ({ lab, alpha, beta, open } = await twoHosts('errors'));
});
afterAll(() => lab?.cleanup());

describe('errors', () => {
  it('not your turn (exit 3), with the hint to wait', async () => {
    const id = await open('whose turn');
    const first = await beta.run(['reply', id, '--as', 'b1', '--body', 'mine']);
    expect(first.exitCode, explain(first)).toBe(0);
    const r = await beta.run(['reply', id, '--as', 'b1', '--body', 'me again']);
    expect(r.exitCode, explain(r)).toBe(3);
    expect(r.stderr).toContain("it is not b1's turn");
    expect(r.stderr).toContain('[NOT_YOUR_TURN]');
    expect(r.stderr).toContain('hint: wait for your turn with `crosstalk wait <id>`');
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

  it('usage errors honour --json and name the help; an unknown command gets the nearest one, also with --help', async () => {
    const missing = await alpha.run(['status', '--json']);
    expect(missing.exitCode, explain(missing)).toBe(2);
    expect(missing.json()).toEqual({ error: { code: 'USAGE', message: "missing required argument 'id'", hint: 'see `crosstalk status --help`' } });
    expect(missing.stderr).toBe("crosstalk: missing required argument 'id' [USAGE]\n  hint: see `crosstalk status --help`\n");
    const option = await alpha.run(['list', '--no-such-option', '--json']);
    expect(option.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'USAGE', message: "unknown option '--no-such-option'" });

    const typo = await alpha.run(['statu', 'x']);
    expect(typo.exitCode, explain(typo)).toBe(2);
    expect(typo.stderr).toContain("unknown command 'statu' [USAGE]");
    expect(typo.stderr).toContain('did you mean `crosstalk status`?');
    const help = await alpha.run(['frobnicate', '--help']);
    expect(help.exitCode, explain(help)).toBe(2);
    expect(help.stdout).toBe('');
    expect(help.stderr).toContain("unknown command 'frobnicate'");
    const sub = await alpha.run(['relay', 'invit', '--help', '--json']);
    expect(sub.exitCode, explain(sub)).toBe(2);
    expect(sub.json<{ error: { hint: string } }>().error.hint).toContain('did you mean `crosstalk relay invite`?');
    const bare = await alpha.run(['relay']);
    expect(bare.stderr).toBe('crosstalk: missing subcommand [USAGE]\n  hint: see `crosstalk relay --help`\n');
  });
});
