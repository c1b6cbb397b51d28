// The installable package on Windows: the tarball `npm pack` makes, installed for win32 into a
// fresh prefix (npm resolves the optional dependencies for that platform), then run from the
// installed files only by the Windows node.exe under Wine: --version, `agent join` against a relay
// running natively, `agent run` until the relay sees it linked, and a conversation turn through it.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, Lab, REPO, runToEnd } from '../harness/index.js';
import { skipWindows, WINDOWS_NODE } from './support/prereqs.js';
import { winPath, WinePrefix } from './support/wine.js';

const skip = skipWindows();

describe.skipIf(skip)('the installed package as a Windows program', () => {
  let lab: Lab;
  let wine: WinePrefix;
  let bin: string;

  beforeAll(async () => {
    lab = await Lab.create('windows-package');
    await lab.startRelay();
    const npmCache = process.env.npm_config_cache || (await execa('npm', ['config', 'get', 'cache'], { timeout: 30_000 })).stdout.trim();
    const npmHome = join(lab.dir, 'npm-home');
    await mkdir(npmHome);
    const npm = (args: string[], cwd: string) =>
      runToEnd('npm', args, { cwd, timeoutMs: 300_000, env: { HOME: npmHome, npm_config_cache: npmCache, npm_config_update_notifier: 'false' } });
    // The run built everything first (test/setup), so prepack need not build again.
    const packed = await npm(['pack', '-w', 'packages/cli', '--ignore-scripts', '--pack-destination', lab.dir], REPO);
    if (packed.exitCode !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    const tarball = join(lab.dir, (await readdir(lab.dir)).find((f) => f.endsWith('.tgz')) as string);
    const prefix = join(lab.dir, 'prefix');
    const installed = await npm(
      ['install', '-g', '--prefix', prefix, '--os', 'win32', '--cpu', 'x64', '--prefer-offline', '--no-audit', '--no-fund', tarball],
      lab.dir,
    );
    if (installed.exitCode !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
    bin = join(prefix, 'lib', 'node_modules', 'crosstalk-cli', 'bin', 'crosstalk.js');
    wine = await WinePrefix.create(lab);
  }, 300_000);
  afterAll(async () => {
    await wine?.kill();
    await lab?.cleanup();
  });

  const cli = (args: string[]) => wine.run(`installed crosstalk ${args.join(' ')}`, [WINDOWS_NODE, winPath(bin), ...args]);

  it('runs, enrolls, links its agent and takes part in a conversation', async () => {
    const version = await cli(['--version']);
    expect(version.stdout.trim(), version.stderr).toBe('0.1.0');

    const invite = await lab.run(lab.relay!.home, ['relay', 'invite', '--host', 'win-installed', '--url', lab.relay!.url, '--json']);
    expect(invite.exitCode, explain(invite)).toBe(0);
    const joined = await cli(['agent', 'join', lab.relay!.url, '--invite', invite.json<{ invite: string }>().invite, '--host', 'win-installed', '--json']);
    expect(joined.exitCode, joined.stderr).toBe(0);
    const home = join(wine.userProfile, '.crosstalk');
    wine.spawn('installed agent', [WINDOWS_NODE, winPath(bin), 'agent', 'run']);
    await lab.waitFor('the installed Windows agent to link', async () => {
      const status = JSON.parse(await readFile(join(home, 'agent-status.json'), 'utf8').catch(() => '{}')) as { connected?: boolean };
      return status.connected === true;
    });

    const penguin = await lab.host('penguin');
    expect((await penguin.run(['join', '--as', 'tux', '--no-wake'])).exitCode).toBe(0);
    expect((await cli(['join', '--as', 'winnie', '--no-wake'])).exitCode).toBe(0);
    const open = await penguin.run(['open', '--as', 'tux', '--topic', 'from the package', '--with', 'winnie', '--body', 'Installed?']);
    expect(open.exitCode, explain(open)).toBe(0);
    const id = open.stdout.trim();
    const reply = await cli(['reply', id, '--as', 'winnie', '--body', 'Installed, from the tarball.']);
    expect(reply.exitCode, reply.stderr).toBe(0);
    await lab.waitFor('the Windows copy to hold the reply', async () =>
      (await readFile(join(home, 'conversations', `${id}.md`), 'utf8').catch(() => '')).includes('Installed, from the tarball.'),
    );
  });
});
