// What the README says about posting agrees with what the product does: every post expects a
// turn; the wake-up line always names it with --expect-turn, and a person may leave it out, which
// the README and `reply --help` both say, with what happens then.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { wakeText } from '@crosstalk/core';
import { Lab, repoFile } from '../harness/index.js';

it('the wake-up line names the expected turn; README and reply --help say what leaving it out does', async () => {
  const line = wakeText({ kind: 'turn', conversation: 'talk-1a2b', session: 'cx', turn: 7, maxTurns: 20, copyPath: '/tmp/c.md', attempt: 1 });
  expect(line).toContain('crosstalk reply talk-1a2b --as cx --expect-turn 7');
  const readme = (await readFile(repoFile('README.md'), 'utf8')).replace(/\s+/g, ' ');
  expect(readme).toContain('the wake-up line always gives `--expect-turn`; a person may leave it out, and `reply` then expects the next turn');
  const lab = await Lab.create('readme');
  try {
    const help = await lab.run(undefined, ['reply', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('default, for people: the next turn, read just before posting');
  } finally {
    await lab.cleanup();
  }
});

it('docs/AGENT.md describes a copy in the order the copy is written: the decision above the opening', async () => {
  const doc = await readFile(repoFile('docs/AGENT.md'), 'utf8');
  const described = [...doc.matchAll(/^- `## (\w+) —/gm)].map((m) => m[1]);
  const copy = await readFile(repoFile('packages/core/src/__fixtures__/render/converged-closed.md'), 'utf8');
  const written = [...new Set([...copy.matchAll(/^## (\w+) —/gm)].map((m) => m[1]))];
  expect(described).toEqual(['Decision', 'Opening', 'Moderation', 'Closed']);
  expect(written.filter((h) => h !== 'Reply')).toEqual(described);
  expect(doc).toContain('`-` for nobody: the turn that converged the conversation hands it to no one');
});
