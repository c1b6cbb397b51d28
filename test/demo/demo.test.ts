// `crosstalk demo` runs to completion: two scripted sessions in a private tmux server converse
// through a private relay and two agents, and both hosts' copies hold exactly the scripted turns.
import { rm, stat } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TOPIC, DEMO_TURNS, OPENER, RESPONDER } from '../../packages/cli/dist/demo/script.js';
import { documentedFields, keys } from '../cli/fields.js';
import { explain, Lab } from '../harness/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await Lab.create('demo');
});
afterAll(() => lab?.cleanup());

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** The turns of a markdown copy: author, flags line and the body inside its fence, in order. */
function turnsOf(markdown: string): Array<{ n: number; author: string; flags: string; body: string }> {
  const re = /^## (?:Opening|Reply) — ([a-z0-9-]+) @ \S+\nTurn (\d+)\/\d+(.*)\n\n(`{3,})\n([\s\S]*?)\n\4\n(?:\nPROPOSAL: .*\n)?\nNEXT: /gm;
  return [...markdown.matchAll(re)].map((m) => ({ n: Number(m[2]), author: m[1] as string, flags: (m[3] as string).trim(), body: m[5] as string }));
}

it('holds the scripted conversation through the real wake-up path and cleans up after itself', async () => {
  const r = await lab.run(undefined, ['demo', '--json'], { timeoutMs: 120_000, env: { TMPDIR: lab.dir } });
  expect(r.exitCode, explain(r)).toBe(0);
  const data = r.json<{
    id: string;
    status: string;
    turns: number;
    decision: string;
    resolution: string;
    copies: Array<{ host: string; session: string; path: string }>;
    identical: boolean;
    kept: string | null;
    markdown: string;
  }>();
  expect(keys(data)).toEqual(documentedFields('demo'));
  const last = DEMO_TURNS.at(-1)!;
  expect(data).toMatchObject({
    status: 'closed',
    turns: DEMO_TURNS.length,
    decision: DEMO_TURNS.find((t) => t.propose)?.propose,
    resolution: last.close,
    identical: true,
    kept: null,
  });
  expect(data.copies.map((c) => [c.host, c.session])).toEqual([
    [OPENER.host, OPENER.session],
    [RESPONDER.host, RESPONDER.session],
  ]);

  // The copy holds exactly the scripted turns, in order, with their flags.
  expect(data.markdown).toContain(`topic: "${DEMO_TOPIC}"`);
  expect(data.markdown).toContain('status: "closed"');
  const turns = turnsOf(data.markdown);
  expect(turns.map((t) => ({ n: t.n, author: t.author, body: t.body }))).toEqual(DEMO_TURNS.map((t) => ({ n: t.n, author: t.by, body: t.body })));
  const proposer = DEMO_TURNS.findIndex((t) => t.propose !== undefined);
  expect(turns[proposer]?.flags).toBe('· proposes a decision');
  expect(turns.at(-1)?.flags).toBe(`· agrees with the proposal of turn ${proposer + 1}`);
  expect(data.markdown).toMatch(new RegExp(`## Closed — ${OPENER.session} @ \\S+\\n\\n\`\`\`\\n${last.close!.replace(/\./g, '\\.')}\\n\`\`\`\\n$`));

  // Progress on stderr, the copies' paths and the conversation on stdout without --json.
  expect(r.stderr).toContain('converged and was closed by its moderator linux-claude');
  // Everything it started is gone: the temp dir (with the tmux socket) was removed.
  for (const c of data.copies) expect(await exists(c.path)).toBe(false);
});

it('--keep keeps the copies; the human output names them and prints the conversation', async () => {
  const r = await lab.run(undefined, ['demo', '--keep'], { timeoutMs: 120_000, env: { TMPDIR: lab.dir } });
  expect(r.exitCode, explain(r)).toBe(0);
  const paths = [...r.stdout.matchAll(/^ {2}(\/\S+\.md) {3}\(host (\S+), session (\S+)\)$/gm)];
  expect(paths.map((m) => m[2])).toEqual([OPENER.host, RESPONDER.host]);
  for (const m of paths) expect(await exists(m[1] as string)).toBe(true);
  const kept = /^\(kept in (\S+)\)$/m.exec(r.stdout)?.[1];
  expect(kept, r.stdout).toBeDefined();
  expect(r.stdout).toContain('## Closed — linux-claude @');
  expect(turnsOf(r.stdout)).toHaveLength(DEMO_TURNS.length);
  await rm(kept as string, { recursive: true, force: true });
});

it('without tmux it says how to install it', async () => {
  const r = await lab.run(undefined, ['demo'], { env: { PATH: lab.dir } });
  expect(r.exitCode, explain(r)).toBe(1);
  expect(r.stderr).toContain('crosstalk demo needs tmux, and tmux is not installed');
  expect(r.stderr).toContain('sudo apt install tmux');
  expect(r.stderr).toContain('brew install tmux');
});
