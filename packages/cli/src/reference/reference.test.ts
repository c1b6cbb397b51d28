import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands.js';
import { OUTPUT } from './output.js';
import { README_END, README_START, renderCliDoc, renderReadmeSection, withReadmeSection } from './render.js';

const repoFile = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const STALE = 'stale: run `npm run build && node packages/cli/scripts/gen-reference.mjs`';

describe('the command reference', () => {
  it('docs/CLI.md is generated from the command table and current', () => {
    expect(repoFile('docs/CLI.md'), STALE).toBe(renderCliDoc());
  });

  it("README.md's reference section is generated from the command table and current", () => {
    const readme = repoFile('README.md');
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start, 'README.md has no reference markers').toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end + README_END.length), STALE).toBe(renderReadmeSection());
  });

  it('documents the --json output of exactly the commands that print data', () => {
    const withJson = COMMANDS.filter((c) => c.json)
      .map((c) => c.path.join(' '))
      .sort();
    expect(Object.keys(OUTPUT).sort()).toEqual(withJson);
  });

  it('lists every command, its options and its examples', () => {
    const doc = renderCliDoc();
    for (const spec of COMMANDS) {
      expect(doc).toContain(`### crosstalk ${spec.path.join(' ')}\n`);
      for (const o of spec.options ?? []) expect(doc).toContain(`\`${o.flags}\``);
      for (const e of spec.examples ?? []) expect(doc).toContain(`${e}\n`);
    }
  });

  it('every command has examples in its --help', () => {
    for (const spec of COMMANDS) expect(spec.examples?.length ?? 0, spec.path.join(' ')).toBeGreaterThan(0);
  });

  it('replaces only the marked section of the README, or appends it with its markers', () => {
    const section = renderReadmeSection();
    expect(withReadmeSection('# title\n\nintro\n')).toBe(`# title\n\nintro\n\n${section}\n`);
    const marked = `# title\n${README_START}\nold\n${README_END}\n\n## after\n`;
    expect(withReadmeSection(marked)).toBe(`# title\n${section}\n\n## after\n`);
    expect(withReadmeSection(withReadmeSection(marked))).toBe(withReadmeSection(marked));
  });
});
