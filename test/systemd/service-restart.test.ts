// The host agent installed as a systemd user service (`crosstalk agent install`) under a real
// systemd user manager: restarting the service leaves the coding agents it spawned running (the
// unit has KillMode=process) and the restarted agent finds them again; with the unit changed to
// KillMode=control-group the same restart kills them, which is what the setting prevents. The
// manager runs confined to a cgroup of its own in private namespaces (support/user-manager.sh),
// which takes root: elsewhere the tier says loudly that it skipped.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, explain, type Host, Lab, NODE, processAlive as alive, repoFile } from '../harness/index.js';
import type { Proc } from '../harness/process.js';

const MANAGER = repoFile('test/systemd/support/user-manager.sh');
const SCRIPTED = repoFile('test/harness/scripted-agent.mjs');

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'it must run as root (it makes a cgroup and namespaces for the user manager)';
  for (const bin of ['/usr/bin/systemd', '/usr/bin/systemctl', '/usr/bin/unshare', '/usr/bin/nsenter']) if (!existsSync(bin)) return `${bin} is missing`;
  return null;
}
const why = missing();
// CI runs as root and installs systemd (.ci/run): there the tier must run, not skip.
if (why && (process.env.CI === 'true' || process.env.CI === '1')) throw new Error(`the systemd tier cannot run in CI: ${why}`);
if (why) process.stderr.write(`\n*** SKIPPING the systemd tier: ${why} ***\n\n`);

describe.skipIf(why !== null)('the agent as a systemd user service, restarted', () => {
  let lab: Lab;
  let beta: Host;
  let manager: Proc;
  let runtime: string;
  const cgroup = `crosstalk-test-${randomBytes(4).toString('hex')}`;

  /** A command in the manager's mount namespace (where /run/systemd/system exists), as the lab's user. */
  const inManager = (args: string[]) =>
    execa('nsenter', ['--target', String(manager.pid), '--mount', ...args], {
      env: { ...lab.env(beta.home), XDG_RUNTIME_DIR: runtime },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
  const systemctl = async (...args: string[]) => {
    const r = await inManager(['systemctl', '--user', ...args]);
    expect(r.exitCode, `systemctl --user ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const status = async () =>
    JSON.parse(await readFile(join(beta.home, 'agent-status.json'), 'utf8').catch(() => '{}')) as { pid?: number; connected?: boolean };
  const restarted = async (before: number | undefined) => {
    await systemctl('restart', 'crosstalk-agent.service');
    await lab.waitFor('the agent to be back and linked', async () => {
      const s = await status();
      return s.connected === true && s.pid !== before && alive(s.pid ?? 0);
    });
  };
  const spawned = async (name: string): Promise<number> => {
    const r = await beta.run(['spawn', 'other', '--host', 'beta', '--as', name, '--cwd', join(lab.dir, 'work'), '--timeout', '90'], { timeoutMs: 100_000 });
    expect(r.exitCode, explain(r)).toBe(0);
    return Number(await lab.waitFor(`${name} to write its pid`, () => readFile(join(lab.dir, 'spawned', name, 'ready'), 'utf8').catch(() => undefined)));
  };

  beforeAll(async () => {
    lab = await Lab.create('systemd');
    await lab.startRelay();
    beta = await lab.host('beta');
    await execa('mkdir', ['-p', join(lab.dir, 'work')]);
    const path = join(beta.home, 'config.json');
    const config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    config.spawn = {
      enabled: true,
      allow: ['beta'],
      kinds: ['other'],
      roots: [join(lab.dir, 'work')],
      maxSessions: 1,
      commands: { other: [NODE, SCRIPTED, JSON.stringify({ dirBase: join(lab.dir, 'spawned'), cli: CLI_BIN, join: false, hook: true, reply: 'done' })] },
      readyTimeoutSeconds: 60,
    };
    await writeFile(path, JSON.stringify(config, null, 2));
    runtime = join(lab.dir, 'run');
    manager = lab.procs.spawn('systemd --user', '/bin/bash', [MANAGER, cgroup, runtime, lab.userHome], { env: lab.env() });
    await lab.waitFor(
      'the user manager to listen',
      async () =>
        existsSync(join(runtime, 'systemd', 'private')) && (await inManager(['systemctl', '--user', 'is-system-running'])).stdout.trim() === 'running',
    );
    // `crosstalk agent install` as a user would run it: it writes the unit and runs systemctl --user.
    const install = await inManager([NODE, CLI_BIN, 'agent', 'install', '--json']);
    expect(install.exitCode, `${install.stdout}\n${install.stderr}`).toBe(0);
    await lab.waitFor('the service to link', async () => (await status()).connected === true);
  }, 120_000);

  afterAll(async () => {
    if (manager?.running) {
      await inManager(['systemctl', '--user', 'exit']).catch(() => undefined);
      await lab.waitFor('the user manager to exit', async () => !manager.running, { timeoutMs: 30_000 }).catch(() => manager.kill9());
    }
    await execa('tmux', ['-S', join(beta?.home ?? lab.dir, 'spawn', 'tmux.sock'), 'kill-server'], { reject: false, timeout: 10_000 });
    await lab?.cleanup();
    // The manager's cgroups, deepest first (empty once it and its services are gone).
    for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified']) {
      const dir = join(root, cgroup);
      if (!existsSync(dir)) continue;
      const found = await execa('find', [dir, '-depth', '-type', 'd'], { reject: false, timeout: 10_000 });
      for (const d of String(found.stdout).split('\n').filter(Boolean)) await rmdir(d).catch(() => undefined);
    }
  });

  it('installs a unit with KillMode=process that the manager runs', async () => {
    const unit = await readFile(join(lab.userHome, '.config', 'systemd', 'user', 'crosstalk-agent.service'), 'utf8');
    expect(unit).toContain('KillMode=process');
    expect((await systemctl('is-active', 'crosstalk-agent.service')).trim()).toBe('active');
  });

  it("a restart of the service leaves the spawned coding agent running, in the service's own control group, and finds it again", async () => {
    const pid = await spawned('helper');
    // The spawned agent is in the service's cgroup: only KillMode=process keeps it from the restart.
    const service = (await status()).pid!;
    const cgroupOf = async (p: number) =>
      (await readFile(`/proc/${p}/cgroup`, 'utf8')).split('\n').find((l) => l.startsWith('0::') || l.includes('name=systemd'));
    expect(await cgroupOf(pid)).toBe(await cgroupOf(service));
    expect(await cgroupOf(pid)).toContain('crosstalk-agent.service');
    await restarted(service);
    expect(alive(pid)).toBe(true);
    // Found again: it still counts against the limit of one, and it can be killed.
    const second = await beta.run(['spawn', 'other', '--host', 'beta', '--as', 'helper-2', '--cwd', join(lab.dir, 'work')], { timeoutMs: 60_000 });
    expect(second.exitCode, explain(second)).toBe(4);
    expect(second.stderr).toContain('rule limit-reached');
    const killed = await beta.run(['kill', 'helper']);
    expect(killed.exitCode, explain(killed)).toBe(0);
    expect(alive(pid)).toBe(false);
  });

  it('with KillMode=control-group instead, the same restart kills it', async () => {
    const unit = join(lab.userHome, '.config', 'systemd', 'user', 'crosstalk-agent.service');
    await writeFile(unit, (await readFile(unit, 'utf8')).replace('KillMode=process', 'KillMode=control-group'));
    await systemctl('daemon-reload');
    const pid = await spawned('helper-3');
    await restarted((await status()).pid);
    await lab.waitFor('the restart to have killed it', async () => !alive(pid), { timeoutMs: 30_000 });
  });
});
