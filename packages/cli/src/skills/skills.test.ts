import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { wakeText } from '@crosstalk/core';
import { COMMANDS } from '../commands.js';
import { installSkills } from './apply.js';
import { crosstalkGuide } from './guide.js';
import { claudeSkillText, codexSectionBody, skillPaths, type SkillRequest } from './plan.js';
import { claudeAllowRules, CODEX_RULES_MARK, codexRulesText, CONVERSATION_COMMANDS, editClaudeSettings } from './permissions.js';
import { SECTION_BEGIN, SECTION_END } from './section.js';

let root: string;
let home: string;
let project: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ct-skill-'));
  home = join(root, 'home');
  project = join(root, 'project');
  await mkdir(home);
  await mkdir(project);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const request = (extra: Partial<SkillRequest> = {}): SkillRequest => ({
  products: ['claude', 'codex'],
  scope: 'global',
  homeDir: home,
  projectDir: project,
  conversationsDir: join(home, '.crosstalk/conversations'),
  ...extra,
});
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const changes = (plan: { actions: Array<{ product: string; part: string; change: string }> }) =>
  plan.actions.filter((a) => a.part === 'instructions').map((a) => `${a.product}:${a.change}`);
const permissionChanges = (plan: { actions: Array<{ product: string; part: string; change: string }> }) =>
  plan.actions.filter((a) => a.part === 'permissions').map((a) => `${a.product}:${a.change}`);

describe('the guide', () => {
  it('shows the wake-up line exactly as the agent types it', () => {
    const line = wakeText({ kind: 'turn', conversation: '<id>', session: '<session>', turn: 3, maxTurns: 20, copyPath: '<path>', attempt: 1 });
    expect(crosstalkGuide(1)).toContain(`    ${line}\n`);
    const reminder = wakeText({ kind: 'turn', conversation: '<id>', session: '<session>', turn: 3, maxTurns: 20, copyPath: '<path>', attempt: 2 });
    expect(reminder.startsWith('crosstalk: reminder:')).toBe(true);
    expect(crosstalkGuide(1)).toContain('`crosstalk: reminder:`');
  });

  it('teaches replying, handing the floor, proposing, agreeing, delegating, waiting and the exit codes', () => {
    const guide = crosstalkGuide(1);
    for (const needle of [
      'crosstalk reply <id> --as <session> --expect-turn 3 --next',
      "<<'EOF'",
      '--propose',
      '--agree',
      'crosstalk ask <session> "<task>"',
      'crosstalk wait <id>',
      'crosstalk read <id>',
      'crosstalk status <id>',
      'crosstalk open --topic',
      'Never paste secrets',
      '3: not your turn',
    ]) {
      expect(guide).toContain(needle);
    }
  });

  it('uses only commands and options the CLI has', () => {
    const guide = crosstalkGuide(1);
    // Every "crosstalk <words> …" invocation in code spans and indented code lines.
    const invocations = [...guide.matchAll(/`(crosstalk [^`]+)`/g)].map((m) => m[1]!);
    invocations.push(
      ...guide
        .split('\n')
        .filter((l) => /^ {4,}crosstalk [a-z]/.test(l))
        .map((l) => l.trim()),
    );
    expect(invocations.length).toBeGreaterThan(15);
    for (const text of invocations) {
      const words = text.split(/\s+/).slice(1);
      const spec = COMMANDS.filter((c) => c.path.every((w, i) => words[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
      expect(spec, `no command for: ${text}`).toBeDefined();
      const known = new Set(['--json', '--help', ...(spec!.options ?? []).flatMap((o) => o.flags.match(/--[a-z-]+/g) ?? [])]);
      for (const flag of text.match(/(?<=\s)--[a-z-]+/g) ?? []) expect(known, `${flag} in: ${text}`).toContain(flag);
    }
  });

  it("stays small enough to leave room in Codex's 32 KiB instruction budget", () => {
    expect(Buffer.byteLength(codexSectionBody())).toBeLessThan(8 * 1024);
  });
});

describe('Claude Code skill', () => {
  it('has the front matter Claude Code reads: a name and a description saying when to use it', () => {
    const text = claudeSkillText();
    const match = /^---\n([\s\S]*?)\n---\n\n/.exec(text);
    expect(match).not.toBeNull();
    const meta = parseYaml(match![1]!) as Record<string, unknown>;
    expect(Object.keys(meta)).toEqual(['name', 'description']);
    expect(meta.name).toBe('crosstalk');
    expect(meta.name).toMatch(/^[a-z0-9-]{1,64}$/);
    expect(typeof meta.description).toBe('string');
    expect((meta.description as string).length).toBeLessThanOrEqual(1024);
    expect(meta.description).toMatch(/Use it when .*"crosstalk:"|Use it when/);
    expect(text.slice(match![0].length)).toBe(`${crosstalkGuide(1)}\n`);
  });

  it('installs under ~/.claude/skills (or CLAUDE_CONFIG_DIR) and <project>/.claude/skills', () => {
    expect(skillPaths(request()).claude).toBe(join(home, '.claude/skills/crosstalk/SKILL.md'));
    expect(skillPaths(request({ claudeConfigDir: join(root, 'cfg') })).claude).toBe(join(root, 'cfg/skills/crosstalk/SKILL.md'));
    expect(skillPaths(request({ scope: 'project' })).claude).toBe(join(project, '.claude/skills/crosstalk/SKILL.md'));
    expect(skillPaths(request()).codex).toBe(join(home, '.codex/AGENTS.md'));
    expect(skillPaths(request({ codexHome: join(root, 'cx') })).codex).toBe(join(root, 'cx/AGENTS.md'));
    expect(skillPaths(request({ scope: 'project' })).codex).toBe(join(project, 'AGENTS.md'));
  });
});

describe('installSkills', () => {
  it('creates both, changes nothing the second time, and uninstall removes exactly what it added', async () => {
    const paths = skillPaths(request());
    expect(changes(await installSkills(request()))).toEqual(['claude:create', 'codex:create']);
    expect(await readFile(paths.claude, 'utf8')).toBe(claudeSkillText());
    expect(await readFile(paths.codex, 'utf8')).toBe(`${SECTION_BEGIN}\n${codexSectionBody()}\n${SECTION_END}\n`);

    expect(changes(await installSkills(request()))).toEqual(['claude:unchanged', 'codex:unchanged']);

    expect(changes(await installSkills(request({ uninstall: true })))).toEqual(['claude:remove', 'codex:remove']);
    expect(await exists(paths.claude)).toBe(false);
    expect(await exists(join(home, '.claude/skills/crosstalk'))).toBe(false);
    expect(await exists(paths.codex)).toBe(false);
    expect(changes(await installSkills(request({ uninstall: true })))).toEqual(['claude:unchanged', 'codex:unchanged']);
  });

  it('keeps every other byte of an existing AGENTS.md, its mode too, and gives them back on uninstall', async () => {
    const agents = join(project, 'AGENTS.md');
    // CRLF, a BOM, invalid UTF-8 and no final newline: none of it may change.
    const original = Buffer.concat([
      Buffer.from('\uFEFF# Project rules\r\n\r\n- be nice\r\n', 'utf8'),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from('\r\nlast line', 'utf8'),
    ]);
    await writeFile(agents, original);
    await chmod(agents, 0o640);
    const req = request({ scope: 'project', products: ['codex'] });

    expect(changes(await installSkills(req))).toEqual(['codex:update']);
    const installed = await readFile(agents);
    expect(installed.subarray(0, original.length).equals(original)).toBe(true);
    expect(installed.subarray(original.length).toString('utf8')).toBe(
      `\r\n${SECTION_BEGIN}\r\n${codexSectionBody().replace(/\n/g, '\r\n')}\r\n${SECTION_END}\r\n`,
    );
    expect((await stat(agents)).mode & 0o777).toBe(0o640);

    expect(changes(await installSkills(req))).toEqual(['codex:unchanged']);
    expect(changes(await installSkills({ ...req, uninstall: true }))).toEqual(['codex:update']);
    expect((await readFile(agents)).equals(original)).toBe(true);
    expect(await readdir(project)).toEqual(['AGENTS.md']);
  });

  it('updates an older crosstalk section in place', async () => {
    const agents = join(project, 'AGENTS.md');
    await writeFile(agents, `# Mine\n\n${SECTION_BEGIN}\nan older text\n${SECTION_END}\n\n# Also mine\n`);
    expect(changes(await installSkills(request({ scope: 'project', products: ['codex'] })))).toEqual(['codex:update']);
    expect(await readFile(agents, 'utf8')).toBe(`# Mine\n\n${SECTION_BEGIN}\n${codexSectionBody()}\n${SECTION_END}\n\n# Also mine\n`);
  });

  it('warns when Codex would read AGENTS.override.md instead', async () => {
    await mkdir(join(home, '.codex'));
    await writeFile(join(home, '.codex/AGENTS.override.md'), '# override\n');
    const plan = await installSkills(request({ products: ['codex'] }));
    expect(plan.warnings).toEqual([expect.stringMatching(/AGENTS\.override\.md/)]);
  });

  it('never overwrites or removes a different skill at its path', async () => {
    const paths = skillPaths(request());
    await mkdir(join(home, '.claude/skills/crosstalk'), { recursive: true });
    await writeFile(paths.claude, '---\nname: something-else\n---\nmine\n');
    await expect(installSkills(request({ products: ['claude'] }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const plan = await installSkills(request({ products: ['claude'], uninstall: true }));
    expect(changes(plan)).toEqual(['claude:unchanged']);
    expect(plan.warnings).toEqual([expect.stringMatching(/not the crosstalk skill/)]);
    expect(await readFile(paths.claude, 'utf8')).toBe('---\nname: something-else\n---\nmine\n');
  });

  it('leaves the skill directory when the user put other files in it', async () => {
    await installSkills(request({ products: ['claude'] }));
    const notes = join(home, '.claude/skills/crosstalk/notes.md');
    await writeFile(notes, 'mine');
    await installSkills(request({ products: ['claude'], uninstall: true }));
    expect(await exists(skillPaths(request()).claude)).toBe(false);
    expect(await readFile(notes, 'utf8')).toBe('mine');
  });
});

describe('what the agents may run unattended', () => {
  const copies = () => join(home, '.crosstalk/conversations');

  it('allows exactly the conversation commands and reading the copies, never spawn, kill, join, relay or agent', () => {
    const rules = claudeAllowRules(copies());
    expect(rules).toEqual([...CONVERSATION_COMMANDS.map((c) => `Bash(crosstalk ${c} *)`), `Read(/${copies()}/**)`]);
    for (const word of ['spawn', 'kill', 'join', 'leave', 'relay', 'agent', 'skill', 'up', 'demo']) {
      expect(
        rules.some((r) => r.includes(`crosstalk ${word}`)),
        word,
      ).toBe(false);
      expect(codexRulesText()).not.toContain(`"${word}"`);
    }
    expect(rules.every((r) => !r.includes('Bash(crosstalk *)') && !r.includes('Bash(*)'))).toBe(true);
    expect(claudeAllowRules('C:\\Users\\me\\.crosstalk\\conversations\\').at(-1)).toBe('Read(//C:/Users/me/.crosstalk/conversations/**)');
  });

  it('adds the rules to Claude Code settings beside what is there, once, and takes exactly them out again', async () => {
    const paths = skillPaths(request());
    const mine = {
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'], deny: ['Read(./.env)'] },
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './check.sh' }] }] },
    };
    await mkdir(join(home, '.claude'), { recursive: true });
    const original = `${JSON.stringify(mine, null, 2)}\n`;
    await writeFile(paths.claudeSettings, original);

    expect(permissionChanges(await installSkills(request()))).toEqual(['claude:update', 'codex:create']);
    const settings = JSON.parse(await readFile(paths.claudeSettings, 'utf8'));
    expect(settings.model).toBe('opus');
    expect(settings.permissions.deny).toEqual(['Read(./.env)']);
    expect(settings.permissions.allow).toEqual(['Bash(npm test)', ...claudeAllowRules(copies())]);
    expect(await readFile(paths.codexRules, 'utf8')).toBe(codexRulesText());
    expect(paths.codexRules).toBe(join(home, '.codex/rules/crosstalk.rules'));

    expect(permissionChanges(await installSkills(request()))).toEqual(['claude:unchanged', 'codex:unchanged']);
    expect(permissionChanges(await installSkills(request({ uninstall: true })))).toEqual(['claude:update', 'codex:remove']);
    expect(await readFile(paths.claudeSettings, 'utf8')).toBe(original);
    expect(await exists(join(home, '.codex'))).toBe(false);
  });

  it('leaves no file behind in a project that had none', async () => {
    const req = request({ scope: 'project' });
    await installSkills(req);
    expect(skillPaths(req).claudeSettings).toBe(join(project, '.claude/settings.json'));
    expect(skillPaths(req).codexRules).toBe(join(project, '.codex/rules/crosstalk.rules'));
    expect(await exists(skillPaths(req).claudeSettings)).toBe(true);
    await installSkills({ ...req, uninstall: true });
    expect(await readdir(project)).toEqual([]);
    // Codex's trust entries for the project's hooks went to the user's config.toml, and went again.
    expect(await readdir(home)).toEqual([]);
  });

  it('refuses settings that are not JSON, and a rules file crosstalk did not write', async () => {
    const paths = skillPaths(request());
    await mkdir(join(home, '.claude'), { recursive: true });
    await writeFile(paths.claudeSettings, '{ "model": ');
    await expect(installSkills(request({ products: ['claude'] }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(() => editClaudeSettings('{"permissions": {"allow": "x"}}', ['r'], 's', false)).toThrow(/not a list/);
    await mkdir(join(home, '.codex/rules'), { recursive: true });
    await writeFile(paths.codexRules, 'prefix_rule(pattern=["rm"], decision="allow")\n');
    await expect(installSkills(request({ products: ['codex'] }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const plan = await installSkills(request({ products: ['codex'], uninstall: true }));
    expect(plan.warnings).toEqual([expect.stringMatching(/not written by crosstalk/)]);
    expect(await readFile(paths.codexRules, 'utf8')).toContain('"rm"');
  });

  it('writes Codex rules that name the conversation commands and say who wrote them', () => {
    const text = codexRulesText();
    expect(text.startsWith(CODEX_RULES_MARK)).toBe(true);
    expect(text).toContain(`pattern = ["crosstalk", [${CONVERSATION_COMMANDS.map((c) => `"${c}"`).join(', ')}]]`);
    expect(text).toContain('decision = "allow"');
  });
});
