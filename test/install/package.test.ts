// The installable package: `npm pack` of the CLI gives one tarball whose runtime dependencies are
// registry packages only (the workspace is bundled in), and `npm install -g` of it into a fresh
// prefix, with a fresh HOME, gives a working `crosstalk`: demo, up, relay invite, agent join and
// agent run. npm's cache is the runner's, so the registry packages come from it when they can.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Lab, REPO, runToEnd, type Proc } from '../harness/index.js';

const NAME = 'crosstalk-cli';

let lab: Lab;
let npmCache: string;
beforeAll(async () => {
  lab = await Lab.create('package');
  npmCache = process.env.npm_config_cache || (await execa('npm', ['config', 'get', 'cache'], { timeout: 30_000 })).stdout.trim();
});
afterAll(() => lab?.cleanup());

/** npm with a private HOME and the runner's cache. */
function npm(args: string[], cwd: string, home: string) {
  return runToEnd('npm', args, { cwd, timeoutMs: 300_000, env: { HOME: home, npm_config_cache: npmCache, npm_config_update_notifier: 'false' } });
}

it('packs into one tarball that installs into a fresh prefix and runs demo, up, invite, agent join and agent run', async () => {
  const home = join(lab.dir, 'fresh-home');
  const prefix = join(lab.dir, 'prefix');
  await mkdir(home);
  // The run built everything first (test/setup); --ignore-scripts keeps prepack from building
  // again while other suites run the bundle.
  const packed = await npm(['pack', '-w', 'packages/cli', '--ignore-scripts', '--pack-destination', lab.dir, '--json'], REPO, home);
  expect(packed.exitCode, packed.stderr).toBe(0);
  const tarballs = (await readdir(lab.dir)).filter((f) => f.endsWith('.tgz'));
  expect(tarballs).toEqual([`${NAME}-0.1.0.tgz`]);
  const tarball = join(lab.dir, tarballs[0] as string);

  // Only registry packages at run time; the workspace packages are inside the bundle.
  const manifest = JSON.parse((await execa('tar', ['-xOzf', tarball, 'package/package.json'], { timeout: 30_000 })).stdout) as Record<string, any>;
  expect(manifest.name).toBe(NAME);
  expect(manifest.bin).toEqual({ crosstalk: './bin/crosstalk.js' });
  const runtime = { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies } as Record<string, string>;
  expect(Object.keys(runtime).sort()).toEqual(['koffi', 'pino']);
  for (const spec of Object.values(runtime)) expect(spec).toMatch(/^\^\d/);
  const files = (await execa('tar', ['-tzf', tarball], { timeout: 30_000 })).stdout.split('\n');
  expect(files).toContain('package/dist/bundle/bin.js');
  expect(files).toContain('package/dist/bundle/snapshot-worker.js');
  expect(files).toContain('package/dist/bundle/demo-session.js');
  expect(
    files.some((f) => f.startsWith('package/dist/bundle/browser/')),
    "the web view's browser files",
  ).toBe(true);

  const installed = await npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], lab.dir, home);
  expect(installed.exitCode, installed.stderr).toBe(0);
  const modules = await readdir(join(prefix, 'lib', 'node_modules', NAME, 'node_modules'));
  expect(modules).not.toContain('@crosstalk');
  const bin = join(prefix, 'bin', 'crosstalk');
  const env = { HOME: home, PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, TMPDIR: lab.dir };
  const run = (args: string[], extra: Record<string, string> = {}) => runToEnd(bin, args, { cwd: home, env: { ...env, ...extra }, timeoutMs: 120_000 });

  const version = await run(['--version']);
  expect(version.stdout.trim(), version.stderr).toBe('0.1.0');

  const demo = await run(['demo', '--json']);
  expect(demo.exitCode, `${demo.stdout}\n${demo.stderr}`).toBe(0);
  expect(JSON.parse(demo.stdout)).toMatchObject({ status: 'closed', identical: true });

  // up: a relay and an agent in one process, from the installed files only.
  const upHome = join(home, '.crosstalk');
  const up: Proc = lab.procs.node('installed up', bin, ['up', '--port', '0'], { env });
  const url = await lab.waitFor('the installed up to be ready', () => {
    if (!up.running) throw new Error(`crosstalk up exited: ${up.stderr()}`);
    return /crosstalk is up[\s\S]*relay\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(up.stderr())?.[1];
  });

  // A second machine: an invite from the relay's data, agent join, agent run.
  const invite = await run(['relay', 'invite', '--host', 'second', '--json']);
  expect(invite.exitCode, invite.stderr).toBe(0);
  const code = (JSON.parse(invite.stdout) as { invite: string }).invite;
  const second = join(lab.dir, 'second-home');
  const joined = await run(['agent', 'join', url, '--invite', code, '--host', 'second', '--json'], { CROSSTALK_HOME: second });
  expect(joined.exitCode, joined.stderr).toBe(0);
  const agent = lab.procs.node('installed agent run', bin, ['agent', 'run'], { env: { ...env, CROSSTALK_HOME: second } });
  await lab.waitFor('the second agent to be linked', async () => {
    if (!agent.running) throw new Error(`crosstalk agent run exited: ${agent.stderr()}`);
    const hosts = await run(['relay', 'hosts', '--json']);
    const list = JSON.parse(hosts.stdout) as { hosts: Array<{ name: string; connected: boolean }> };
    return list.hosts.some((h) => h.name === 'second' && h.connected);
  });
  expect((await agent.stop('SIGTERM')).exitCode, agent.stderr()).toBe(0);
  expect((await up.stop('SIGINT')).exitCode, up.stderr()).toBe(0);
  expect(await readFile(join(upHome, 'config.json'), 'utf8')).toContain(url);
});
