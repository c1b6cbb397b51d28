import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeSkillText, installSkills, skillPaths } from '../skills/index.js';
import { skillChecks } from './doctor-skills.js';

let root: string;
let base: { homeDir: string; projectDir: string; conversationsDir: string };
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ct-doctor-skills-'));
  base = { homeDir: join(root, 'home'), projectDir: join(root, 'project'), conversationsDir: join(root, 'home/.crosstalk/conversations') };
  await mkdir(base.homeDir);
  await mkdir(base.projectDir);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const statuses = async (kinds: string[] = []) => Object.fromEntries((await skillChecks(base, new Set(kinds))).map((c) => [c.name, c.status]));

describe('doctor on the skills', () => {
  it('skips an agent nobody uses here, and warns about one a joined session uses', async () => {
    expect(await statuses()).toEqual({ 'skill Claude Code': 'skip', 'hooks Claude Code': 'skip', 'skill Codex': 'skip', 'hooks Codex': 'skip' });
    expect(await statuses(['codex'])).toEqual({ 'skill Claude Code': 'skip', 'hooks Claude Code': 'skip', 'skill Codex': 'warn', 'hooks Codex': 'warn' });
  });

  it('is content once instructions, permissions and hooks are in place, at user or project scope', async () => {
    await installSkills({ ...base, products: ['claude'], scope: 'global' });
    await installSkills({ ...base, products: ['codex'], scope: 'project' });
    const checks = await skillChecks(base, new Set(['claude-code', 'codex']));
    expect(checks.map((c) => [c.name, c.status, c.message])).toEqual([
      ['skill Claude Code', 'ok', 'instructions and permission rules installed (for this user)'],
      ['hooks Claude Code', 'ok', 'installed (for this user)'],
      ['skill Codex', 'ok', 'instructions and permission rules installed (for this project)'],
      ['hooks Codex', 'ok', 'installed and trusted (for this project)'],
    ]);
  });

  it('says what is missing from an install without its permission rules', async () => {
    const path = skillPaths({ ...base, products: ['claude'], scope: 'global' }).claude;
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, claudeSkillText());
    const [claude] = await skillChecks(base, new Set());
    expect(claude).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('without its permissions'),
      hint: expect.stringContaining('crosstalk skill install'),
    });
  });

  it('warns when the skill is there without its hooks, when they are out of date, and when Codex does not trust them', async () => {
    const path = skillPaths({ ...base, products: ['claude'], scope: 'global' }).claude;
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, claudeSkillText());
    const hooksOf = async (product: string) => (await skillChecks(base, new Set())).find((c) => c.name === `hooks ${product}`);
    expect(await hooksOf('Claude Code')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('not installed'),
      hint: '`crosstalk skill install`',
    });

    const paths = skillPaths({ ...base, products: ['codex'], scope: 'global' });
    await installSkills({ ...base, products: ['codex'], scope: 'global' });
    const hooks = JSON.parse(await readFile(paths.codexHooks, 'utf8'));
    hooks.hooks.Stop[0].hooks[0].timeout = 5;
    await writeFile(paths.codexHooks, JSON.stringify(hooks));
    expect(await hooksOf('Codex')).toMatchObject({ status: 'warn', message: expect.stringContaining('not the ones this version') });

    await installSkills({ ...base, products: ['codex'], scope: 'global' });
    const config = await readFile(paths.codexUserConfig, 'utf8');
    await writeFile(paths.codexUserConfig, config.replace(/sha256:[0-9a-f]{8}/, 'sha256:00000000'));
    expect(await hooksOf('Codex')).toMatchObject({ status: 'warn', message: expect.stringContaining('Hooks need review'), hint: '`crosstalk skill install`' });
    await installSkills({ ...base, products: ['codex'], scope: 'global' });
    expect(await hooksOf('Codex')).toMatchObject({ status: 'ok' });
  });
});
