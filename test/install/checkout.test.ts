// A checkout after `npm ci`: `npx crosstalk-cli` runs the workspace's own command (never a
// download: the npm name `crosstalk` belongs to an unrelated package, so no line of the docs may
// name it for npm); the command's link points at a file of the sources, so npm links it before
// the build has run; every dependency with an install script is decided in allowScripts; the
// README's first screen gives the install, the zero-config run and the test command.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { REPO, repoFile, runToEnd } from '../harness/index.js';

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Record<string, any>;

it('npx crosstalk-cli runs the checkout’s own crosstalk, offline', async () => {
  const r = await runToEnd('npx', ['--offline', 'crosstalk-cli', '--version'], { cwd: REPO, timeoutMs: 60_000, env: { npm_config_update_notifier: 'false' } });
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe('0.1.0');
});

it('links the command to a file of the sources, so npm ci links it before the build', async () => {
  const cli = await readJson(repoFile('packages/cli/package.json'));
  expect(cli.name).toBe('crosstalk-cli');
  const target = cli.bin.crosstalk as string;
  const tracked = (await execa('git', ['ls-files', '--error-unmatch', join('packages/cli', target)], { cwd: REPO, reject: false, timeout: 30_000 })).exitCode;
  expect(tracked, `${target} is not a tracked file`).toBe(0);
  expect(existsSync(join(REPO, 'node_modules', '.bin', 'crosstalk'))).toBe(true);
});

it('no line of the docs makes npm fetch the unrelated package named crosstalk', async () => {
  const docs = ['README.md', ...(await readdir(repoFile('docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const bad = /\b(npx|npm (?:exec|i|install|add|view)(?: -g| --global)?)\s+crosstalk(?![-\w/])/;
  for (const doc of docs) {
    const lines = (await readFile(repoFile(doc), 'utf8')).split('\n');
    for (const [i, line] of lines.entries()) expect(bad.test(line), `${doc}:${i + 1}: ${line}`).toBe(false);
  }
});

it('the README’s first screen installs from the checkout with one line, runs the zero-config relay and agent, and names the tests', async () => {
  const firstScreen = (await readFile(repoFile('README.md'), 'utf8')).split('\n').slice(0, 24).join('\n');
  // The package is not on the registry: the install line packs this checkout (package.test.ts runs it).
  expect(firstScreen).toContain('npm ci && npm pack -w packages/cli && npm install -g ./crosstalk-cli-0.1.0.tgz');
  expect(firstScreen).not.toMatch(/npm install -g crosstalk-cli/);
  expect(firstScreen).toContain('crosstalk up');
  expect(firstScreen).toContain('crosstalk demo');
  expect(firstScreen).toContain('npm test');
});

it('every installed dependency with an install script is allowed or denied in allowScripts', async () => {
  const root = await readJson(repoFile('package.json'));
  const policy = (root.allowScripts ?? {}) as Record<string, boolean>;
  const undecided: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        await visit(path);
        continue;
      }
      const manifest = await readJson(join(path, 'package.json')).catch(() => null);
      if (manifest) {
        const s = manifest.scripts ?? {};
        const scripted = s.preinstall || s.install || s.postinstall || existsSync(join(path, 'binding.gyp'));
        if (scripted && !(manifest.name in policy)) undecided.push(manifest.name);
      }
      await visit(join(path, 'node_modules'));
    }
  };
  await visit(repoFile('node_modules'));
  expect(undecided).toEqual([]);
  expect(Object.keys(policy).sort()).toEqual(['esbuild', 'koffi']);
});

it('every package asks for the same node as the root', async () => {
  const root = (await readJson(repoFile('package.json'))).engines.node;
  expect(root).toBe('>=20.19');
  for (const p of ['core', 'client', 'relay', 'agent', 'web', 'cli'])
    expect((await readJson(repoFile(`packages/${p}/package.json`))).engines.node, p).toBe(root);
});
