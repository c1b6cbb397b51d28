import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderSystemdUnit, systemdUnitPath } from './systemd.js';
import type { ServiceContext } from './types.js';

const base: ServiceContext = {
  platform: 'linux',
  nodePath: '/usr/bin/node',
  cliPath: '/usr/lib/node_modules/crosstalk/dist/bin.js',
  crosstalkHome: '/home/u/.crosstalk',
  homeDir: '/home/u',
};

/** systemd's reading of ExecStart: C escapes inside quotes, %% everywhere, $$ after the executable. */
function unquoteWords(line: string): string[] {
  const words = line.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
  expect(words.join(' ')).toBe(line);
  return words.map((w, i) => {
    const word = w.slice(1, -1).replace(/\\(.)/g, '$1').replace(/%%/g, '%');
    return i === 0 ? word : word.replace(/\$\$/g, '$');
  });
}

const directive = (unit: string, key: string) =>
  unit
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));

describe('systemd user unit', () => {
  it('runs `agent run` with absolute paths, restarts on failure and starts with the user manager', () => {
    const unit = renderSystemdUnit({ ...base, logLevel: 'debug', environment: { NODE_EXTRA_CA_CERTS: '/etc/ct/root.crt' } });
    expect(unquoteWords(directive(unit, 'ExecStart')[0]!)).toEqual([base.nodePath, base.cliPath, 'agent', 'run', '--log-level', 'debug']);
    expect(directive(unit, 'Environment')).toEqual(['"CROSSTALK_HOME=/home/u/.crosstalk"', '"NODE_EXTRA_CA_CERTS=/etc/ct/root.crt"']);
    expect(directive(unit, 'Restart')).toEqual(['on-failure']);
    expect(directive(unit, 'RestartSec')).toEqual(['5']);
    expect(directive(unit, 'WantedBy')).toEqual(['default.target']);
    // A restart stops the agent alone: the tmux server of its spawned sessions, in the same control group, lives on.
    expect(directive(unit, 'KillMode')).toEqual(['process']);
    expect(unit).toMatch(/^\[Unit\]$[\s\S]*^\[Service\]$[\s\S]*^\[Install\]$/m);
  });

  it('lives in ~/.config/systemd/user, or under XDG_CONFIG_HOME when set', () => {
    expect(systemdUnitPath(base)).toBe('/home/u/.config/systemd/user/crosstalk-agent.service');
    expect(systemdUnitPath({ ...base, xdgConfigHome: '/cfg' })).toBe('/cfg/systemd/user/crosstalk-agent.service');
  });

  it('quotes any path so systemd reads it back unchanged (spaces, quotes, backslashes, % and $)', () => {
    const argChars = fc.stringMatching(/^[a-zA-Z0-9 "\\%$;'_.-]{1,30}$/);
    const exeChars = fc.stringMatching(/^[a-zA-Z0-9 %$;_.-]{1,30}$/);
    fc.assert(
      fc.property(exeChars, argChars, (a, b) => {
        const ctx = { ...base, nodePath: `/opt/${a}/node`, cliPath: `/srv/${b}/bin.js`, crosstalkHome: `/h/${b}` };
        const unit = renderSystemdUnit(ctx);
        expect(unquoteWords(directive(unit, 'ExecStart')[0]!)).toEqual([ctx.nodePath, ctx.cliPath, 'agent', 'run']);
        const env = directive(unit, 'Environment')[0]!;
        // Environment= expands specifiers but not $.
        expect(env.slice(1, -1).replace(/\\(.)/g, '$1').replace(/%%/g, '%')).toBe(`CROSSTALK_HOME=${ctx.crosstalkHome}`);
      }),
    );
  });

  it('refuses a node path systemd would not run (quotes or backslashes in it)', () => {
    for (const nodePath of ['/opt/a"b/node', "/opt/o'neil/node", '/opt/a\\b/node']) {
      expect(() => renderSystemdUnit({ ...base, nodePath })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});

describe('systemd-analyze verify', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ct-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const haveAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;

  async function verify(unit: string): Promise<{ status: number | null; output: string }> {
    const unitDir = join(dir, 'units');
    const runtime = join(dir, 'runtime');
    await mkdir(unitDir, { recursive: true });
    await mkdir(runtime, { recursive: true, mode: 0o700 });
    const file = join(unitDir, 'crosstalk-agent.service');
    await writeFile(file, unit);
    // A private runtime dir lets the user-mode verifier start without a user session.
    const r = spawnSync('systemd-analyze', ['--user', 'verify', file], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_COLOR: '0' },
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

  it('accepts the unit, also with spaces, % and $ in every path', async () => {
    const odd = join(dir, 'node dir %i $HOME ;');
    await mkdir(odd, { recursive: true });
    const nodeLink = join(odd, 'node');
    await symlink(process.execPath, nodeLink);
    const cli = join(dir, 'cli "q" \\ %i $HOME', 'bin.js');
    const unit = renderSystemdUnit({ ...base, nodePath: nodeLink, cliPath: cli, crosstalkHome: join(dirname(cli), 'home'), homeDir: dir });
    if (!haveAnalyze) {
      console.log('systemd-analyze is not installed: the unit was checked by content only, not verified by systemd');
      expect(unit).toContain('%%i');
      return;
    }
    const good = await verify(unit);
    expect(good.output).not.toMatch(/crosstalk-agent\.service/);
    expect(good.status, good.output).toBe(0);
    // The verifier resolves the executable, so it would catch a path systemd reads differently.
    const bad = await verify(renderSystemdUnit({ ...base, nodePath: join(odd, 'missing'), cliPath: cli, homeDir: dir }));
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/is not executable|No such file/);
  });

  it('is verified against the real node executable of this machine', async () => {
    const unit = renderSystemdUnit({ ...base, nodePath: process.execPath, cliPath: join(dir, 'bin.js'), homeDir: dir });
    if (!haveAnalyze) {
      console.log('systemd-analyze is not installed: skipping the systemd verification of the unit');
      expect(unit).toContain(process.execPath);
      return;
    }
    const r = await verify(unit);
    expect(r.status, r.output).toBe(0);
  });
});
