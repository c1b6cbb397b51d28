import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installSkills, readSkillFiles } from './apply.js';
import { handlerHash, TRUST_BEGIN, TRUST_END } from './codex-trust.js';
import { codexTrustGaps } from './hooks-plan.js';
import { claudeAllowRules } from './permissions.js';
import { type SkillRequest, skillPaths } from './request.js';

let root: string;
let home: string;
let project: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ct-hooks-plan-'));
  home = join(root, 'home');
  project = join(root, 'project');
  await mkdir(home);
  await mkdir(project);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const request = (extra: Partial<SkillRequest> = {}): SkillRequest => ({
  products: ['claude', 'codex'],
  scope: 'global',
  homeDir: home,
  projectDir: project,
  conversationsDir: join(home, '.crosstalk/conversations'),
  ...extra,
});
type Plan = Awaited<ReturnType<typeof installSkills>>;
const parts = (plan: Plan) => plan.actions.filter((a) => a.part !== 'instructions').map((a) => `${a.product}:${a.part}:${a.change}`);
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const json = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('installSkills and the hooks', () => {
  it('writes the rules and the hooks into one Claude Code settings file, Codex hooks.json and its trust entries; once; and takes them all away', async () => {
    const paths = skillPaths(request());
    expect(parts(await installSkills(request()))).toEqual([
      'claude:permissions:create',
      'claude:hooks:create',
      'codex:permissions:create',
      'codex:hooks:create',
      'codex:hook-trust:create',
    ]);
    const settings = await json(paths.claudeSettings);
    expect(settings.permissions.allow).toEqual(claudeAllowRules(join(home, '.crosstalk/conversations')));
    expect(settings.hooks.Stop[0].hooks.map((h: { command: string }) => h.command)).toEqual([
      'crosstalk hook claude-code',
      'crosstalk hook claude-code --wait',
    ]);
    expect(paths.codexHooks).toBe(join(home, '.codex/hooks.json'));
    expect((await json(paths.codexHooks)).hooks.Interrupt).toEqual([{ hooks: [{ type: 'command', command: 'crosstalk hook codex', timeout: 3 }] }]);
    const config = await readFile(paths.codexUserConfig, 'utf8');
    expect(config.startsWith(TRUST_BEGIN)).toBe(true);
    const stop = handlerHash('Stop', {}, { type: 'command', command: 'crosstalk hook codex', timeout: 10 });
    expect(config).toContain(`[hooks.state."${join(home, '.codex/hooks.json')}:stop:0:0"]\ntrusted_hash = "${stop}"\n`);
    expect(config.match(/^\[hooks\.state\./gm)).toHaveLength(8);
    expect(codexTrustGaps(request(), await readSkillFiles(request()))).toBe(0);

    expect(parts(await installSkills(request()))).toEqual([
      'claude:permissions:unchanged',
      'claude:hooks:unchanged',
      'codex:permissions:unchanged',
      'codex:hooks:unchanged',
      'codex:hook-trust:unchanged',
    ]);
    expect(parts(await installSkills(request({ uninstall: true })))).toEqual([
      'claude:permissions:remove',
      'claude:hooks:remove',
      'codex:permissions:remove',
      'codex:hooks:remove',
      'codex:hook-trust:remove',
    ]);
    expect(await readdir(home)).toEqual([]);
  });

  it("leaves the user's settings, hooks and Codex config exactly as they were after uninstall", async () => {
    const paths = skillPaths(request());
    await mkdir(join(home, '.claude'));
    await mkdir(join(home, '.codex'));
    const settings = `${JSON.stringify({ model: 'opus', hooks: { Stop: [{ matcher: '', hooks: [{ type: 'command', command: 'say done' }] }] } }, null, 2)}\n`;
    const hooks = `${JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify' }] }] } }, null, 2)}\n`;
    const config = 'model = "o3"\n\n[hooks.state]\n\n[hooks.state."/elsewhere/hooks.json:stop:0:0"]\ntrusted_hash = "sha256:0"\n';
    await writeFile(paths.claudeSettings, settings);
    await writeFile(paths.codexHooks, hooks);
    await writeFile(paths.codexUserConfig, config);

    expect(parts(await installSkills(request()))).toEqual([
      'claude:permissions:update',
      'claude:hooks:update',
      'codex:permissions:create',
      'codex:hooks:update',
      'codex:hook-trust:update',
    ]);
    // The user's own Stop group keeps index 0: ours is group 1, and trusted as such.
    expect((await json(paths.codexHooks)).hooks.Stop[0]).toEqual({ hooks: [{ type: 'command', command: 'notify' }] });
    expect(await readFile(paths.codexUserConfig, 'utf8')).toContain(`[hooks.state."${paths.codexHooks}:stop:1:0"]`);
    expect((await readFile(paths.codexUserConfig, 'utf8')).startsWith(`${config}\n${TRUST_BEGIN}\n`)).toBe(true);

    await installSkills(request({ uninstall: true }));
    expect(await readFile(paths.claudeSettings, 'utf8')).toBe(settings);
    expect(await readFile(paths.codexHooks, 'utf8')).toBe(hooks);
    expect(await readFile(paths.codexUserConfig, 'utf8')).toBe(config);
  });

  it("with --project: the project's hooks, trusted in the user's config.toml; the user's own entries stay through install and uninstall", async () => {
    const req = request({ scope: 'project', products: ['codex'] });
    const paths = skillPaths(req);
    expect(paths.codexHooks).toBe(join(project, '.codex/hooks.json'));
    expect(paths.codexUserConfig).toBe(join(home, '.codex/config.toml'));
    await installSkills(request({ products: ['codex'] }));
    const globalOnly = await readFile(paths.codexUserConfig, 'utf8');

    expect(parts(await installSkills(req))).toEqual(['codex:permissions:create', 'codex:hooks:create', 'codex:hook-trust:update']);
    const both = await readFile(paths.codexUserConfig, 'utf8');
    expect(both).toContain(`[hooks.state."${join(project, '.codex/hooks.json')}:session_start:0:0"]`);
    expect(both).toContain(`[hooks.state."${join(home, '.codex/hooks.json')}:session_start:0:0"]`);
    expect(both.split(TRUST_BEGIN)).toHaveLength(2);
    expect(both.split(TRUST_END)).toHaveLength(2);
    expect(codexTrustGaps(req, await readSkillFiles(req))).toBe(0);

    await installSkills({ ...req, uninstall: true });
    expect(await readFile(paths.codexUserConfig, 'utf8')).toBe(globalOnly);
    expect(await readdir(project)).toEqual([]);
  });

  it('keys trust by the real path of the hooks file, as Codex does, when CODEX_HOME is a link', async () => {
    const real = join(root, 'real-codex');
    await mkdir(real);
    await symlink(real, join(root, 'codex-link'));
    const req = request({ products: ['codex'], codexHome: join(root, 'codex-link') });
    await installSkills(req);
    const config = await readFile(join(real, 'config.toml'), 'utf8');
    expect(config).toContain(`[hooks.state."${join(real, 'hooks.json')}:stop:0:0"]`);
    expect(config).not.toContain('codex-link');
    expect(codexTrustGaps(req, await readSkillFiles(req))).toBe(0);
    await installSkills({ ...req, uninstall: true });
    // The folder CODEX_HOME names is left, and whatever holds it.
    expect(await exists(real)).toBe(true);
    expect(await readdir(real)).toEqual([]);
  });

  it('notices trust gone stale when the user moves our group, and a second install fixes it', async () => {
    const req = request({ products: ['codex'] });
    const paths = skillPaths(req);
    await installSkills(req);
    const hooks = await json(paths.codexHooks);
    hooks.hooks.Stop.unshift({ hooks: [{ type: 'command', command: 'mine' }] });
    await writeFile(paths.codexHooks, JSON.stringify(hooks));
    expect(codexTrustGaps(req, await readSkillFiles(req))).toBe(1);
    expect(parts(await installSkills(req))).toEqual(['codex:permissions:unchanged', 'codex:hooks:unchanged', 'codex:hook-trust:update']);
    expect(codexTrustGaps(req, await readSkillFiles(req))).toBe(0);
  });

  it('refuses settings that are not JSON and a damaged trust block, and changes nothing then', async () => {
    const paths = skillPaths(request());
    await mkdir(join(home, '.codex'));
    await writeFile(paths.codexUserConfig, `${TRUST_BEGIN}\n`);
    await expect(installSkills(request({ products: ['codex'] }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await writeFile(paths.codexUserConfig, '');
    await writeFile(paths.codexHooks, '{ "hooks": ');
    await expect(installSkills(request({ products: ['codex'] }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await readdir(join(home, '.codex'))).toEqual(['config.toml', 'hooks.json']);
  });
});
