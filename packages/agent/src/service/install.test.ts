import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { installService, serviceStatus, uninstallService } from './install.js';
import { renderLaunchdPlist } from './launchd.js';
import { planServiceInstall, serviceDefinitionPath } from './plan.js';
import { renderEnvFile, renderTaskXml } from './schtasks.js';
import { renderSystemdUnit } from './systemd.js';
import type { ServiceCommandResult, ServiceRunner, ServiceCommand, ServiceContext, ServicePlatform } from './types.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ct-service-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function ctxFor(platform: ServicePlatform, extra: Partial<ServiceContext> = {}): ServiceContext {
  return {
    platform,
    nodePath: '/usr/local/bin/node',
    cliPath: '/usr/local/lib/node_modules/crosstalk/dist/bin.js',
    crosstalkHome: join(home, '.crosstalk'),
    homeDir: home,
    uid: 501,
    windowsUser: 'BOX\\me',
    ...extra,
  };
}

/** Records every call; answers from a script keyed by "file arg arg…", 0 otherwise. */
function recorder(answers: Record<string, Partial<ServiceCommandResult>> = {}) {
  const calls: ServiceCommand[] = [];
  const runner: ServiceRunner = async (cmd) => {
    calls.push(cmd);
    const a = answers[[cmd.file, ...cmd.args].join(' ')] ?? {};
    return { exitCode: 0, stdout: '', stderr: '', ...a };
  };
  const lines = () => calls.map((c) => [c.file, ...c.args].join(' '));
  return { calls, runner, lines };
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('installService / uninstallService on Linux (systemd --user)', () => {
  it('writes the unit, reloads, enables and starts it; a second install changes nothing', async () => {
    const ctx = ctxFor('linux');
    const unit = join(home, '.config/systemd/user/crosstalk-agent.service');
    const rec = recorder();
    const first = await installService(ctx, rec.runner);
    expect(first).toMatchObject({ definition: unit, changed: true, warnings: [] });
    expect(await readFile(unit, 'utf8')).toBe(renderSystemdUnit(ctx));
    expect(rec.lines()).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now crosstalk-agent.service']);
    expect(rec.calls.every((c) => c.timeoutMs > 0)).toBe(true);

    const again = recorder();
    expect((await installService(ctx, again.runner)).changed).toBe(false);
    expect(again.lines()).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now crosstalk-agent.service']);
  });

  it('restarts a running agent when the definition changed', async () => {
    await installService(ctxFor('linux'), recorder().runner);
    const rec = recorder();
    const result = await installService(ctxFor('linux', { logLevel: 'debug' }), rec.runner);
    expect(result.changed).toBe(true);
    expect(rec.lines()).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable --now crosstalk-agent.service',
      'systemctl --user try-restart crosstalk-agent.service',
    ]);
  });

  it('uninstall disables and stops it, removes the unit and reloads; a second uninstall does nothing', async () => {
    const ctx = ctxFor('linux');
    const { definition } = await installService(ctx, recorder().runner);
    const rec = recorder();
    expect((await uninstallService(ctx, rec.runner)).removed).toBe(true);
    expect(rec.lines()).toEqual(['systemctl --user disable --now crosstalk-agent.service', 'systemctl --user daemon-reload']);
    expect(await exists(definition)).toBe(false);
    const again = recorder();
    expect((await uninstallService(ctx, again.runner)).removed).toBe(false);
    expect(again.calls).toEqual([]);
  });

  it('reports a refusal of the service manager with the command, its words and what to do', async () => {
    const rec = recorder({ 'systemctl --user daemon-reload': { exitCode: 1, stderr: 'Failed to connect to bus: No medium found\n' } });
    const err = await installService(ctxFor('linux'), rec.runner).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrosstalkError);
    expect(err).toMatchObject({ code: 'SERVICE_FAILED', exitCode: 1 });
    expect((err as CrosstalkError).message).toBe(
      `\`systemctl --user daemon-reload\` exited with 1: Failed to connect to bus: No medium found; nothing was installed (${serviceDefinitionPath(ctxFor('linux'))} was removed again)`,
    );
    expect((err as CrosstalkError).hint).toMatch(/loginctl enable-linger/);
    expect(rec.lines()).toEqual(['systemctl --user daemon-reload']);

    const slow = recorder({ 'systemctl --user enable --now crosstalk-agent.service': { exitCode: 124, timedOut: true } });
    await expect(installService(ctxFor('linux'), slow.runner)).rejects.toThrow(/timed out after 30000 ms/);
    const broken: ServiceRunner = async () => {
      throw new Error('spawn systemctl ENOENT');
    };
    await expect(installService(ctxFor('linux'), broken)).rejects.toMatchObject({
      code: 'SERVICE_FAILED',
      message: expect.stringMatching(/could not run: spawn systemctl ENOENT/),
    });
  });

  it('status asks is-active and says whether the unit is installed', async () => {
    const ctx = ctxFor('linux');
    const inactive = recorder({ 'systemctl --user is-active crosstalk-agent.service': { exitCode: 3, stdout: 'inactive\n' } });
    expect(await serviceStatus(ctx, inactive.runner)).toMatchObject({ platform: 'linux', installed: false, running: false, state: 'inactive' });
    await installService(ctx, recorder().runner);
    const active = recorder({ 'systemctl --user is-active crosstalk-agent.service': { stdout: 'active\n' } });
    expect(await serviceStatus(ctx, active.runner)).toMatchObject({ installed: true, running: true, state: 'active' });
    const noBus = recorder({ 'systemctl --user is-active crosstalk-agent.service': { exitCode: 1, stderr: 'Failed to connect to bus' } });
    expect(await serviceStatus(ctx, noBus.runner)).toMatchObject({ installed: true, running: false, state: 'unknown', detail: 'Failed to connect to bus' });
  });
});

describe('installService / uninstallService on macOS (launchd)', () => {
  it('creates the log directory, writes the plist and bootstraps it into the GUI domain', async () => {
    const ctx = ctxFor('darwin');
    const plist = join(home, 'Library/LaunchAgents/dev.crosstalk.agent.plist');
    const rec = recorder({ 'launchctl bootout gui/501/dev.crosstalk.agent': { exitCode: 3, stderr: 'Boot-out failed: 3: No such process' } });
    const result = await installService(ctx, rec.runner);
    expect(result.definition).toBe(plist);
    expect(await readFile(plist, 'utf8')).toBe(renderLaunchdPlist(ctx));
    expect((await stat(join(home, '.crosstalk/logs'))).isDirectory()).toBe(true);
    expect(rec.lines()).toEqual([
      'launchctl bootout gui/501/dev.crosstalk.agent',
      'launchctl enable gui/501/dev.crosstalk.agent',
      `launchctl bootstrap gui/501 ${plist}`,
    ]);
  });

  it('uninstall boots it out and removes the plist; status reads launchctl print', async () => {
    const ctx = ctxFor('darwin');
    const { definition } = await installService(ctx, recorder().runner);
    const running = recorder({ 'launchctl print gui/501/dev.crosstalk.agent': { stdout: 'gui/501/dev.crosstalk.agent = {\n\tstate = running\n}\n' } });
    expect(await serviceStatus(ctx, running.runner)).toMatchObject({ installed: true, running: true, state: 'running' });
    const rec = recorder();
    expect((await uninstallService(ctx, rec.runner)).removed).toBe(true);
    expect(rec.lines()).toEqual(['launchctl bootout gui/501/dev.crosstalk.agent']);
    expect(await exists(definition)).toBe(false);
    const gone = recorder({ 'launchctl print gui/501/dev.crosstalk.agent': { exitCode: 113, stderr: 'Could not find service' } });
    expect(await serviceStatus(ctx, gone.runner)).toMatchObject({ installed: false, running: false, state: 'not loaded' });
  });
});

describe('installService / uninstallService on Windows (Task Scheduler)', () => {
  it('writes the env file and the UTF-16 task XML, creates the task and starts it now', async () => {
    const ctx = ctxFor('win32');
    const xml = join(ctx.crosstalkHome, 'crosstalk-agent.xml');
    const env = join(ctx.crosstalkHome, 'agent.env');
    const rec = recorder();
    expect((await installService(ctx, rec.runner)).definition).toBe(xml);
    const bytes = await readFile(xml);
    expect(bytes.subarray(2).toString('utf16le')).toBe(renderTaskXml(ctx));
    expect(await readFile(env, 'utf8')).toBe(renderEnvFile(ctx));
    expect((await stat(env)).mode & 0o777).toBe(0o600);
    expect(rec.lines()).toEqual([`schtasks /Create /TN crosstalk-agent /XML ${xml} /F`, 'schtasks /Run /TN crosstalk-agent']);

    const changed = recorder();
    await installService(ctxFor('win32', { logLevel: 'debug' }), changed.runner);
    expect(changed.lines()).toEqual([
      `schtasks /Create /TN crosstalk-agent /XML ${xml} /F`,
      'schtasks /End /TN crosstalk-agent',
      'schtasks /Run /TN crosstalk-agent',
    ]);
  });

  it('uninstall ends and deletes the task and removes both files; status reads schtasks /Query', async () => {
    const ctx = ctxFor('win32');
    await installService(ctx, recorder().runner);
    const query = 'schtasks /Query /TN crosstalk-agent /FO CSV /NH';
    expect(await serviceStatus(ctx, recorder({ [query]: { stdout: '"\\crosstalk-agent","N/A","Running"\r\n' } }).runner)).toMatchObject({
      installed: true,
      running: true,
      state: 'Running',
    });
    const rec = recorder({ 'schtasks /End /TN crosstalk-agent': { exitCode: 1, stderr: 'ERROR: The task is not running.' } });
    expect((await uninstallService(ctx, rec.runner)).removed).toBe(true);
    expect(rec.lines()).toEqual(['schtasks /End /TN crosstalk-agent', 'schtasks /Delete /TN crosstalk-agent /F']);
    expect(await exists(join(ctx.crosstalkHome, 'crosstalk-agent.xml'))).toBe(false);
    expect(await exists(join(ctx.crosstalkHome, 'agent.env'))).toBe(false);
    const none = recorder({ [query]: { exitCode: 1, stderr: 'ERROR: The system cannot find the file specified.' } });
    expect(await serviceStatus(ctx, none.runner)).toMatchObject({ installed: false, running: false, state: 'not installed' });
  });
});

describe('inputs', () => {
  it('refuses values that cannot go into a service definition', () => {
    const bad: Array<[Partial<ServiceContext>, RegExp]> = [
      [{ nodePath: 'node' }, /absolute/],
      [{ cliPath: '/a\nExecStartPre=/bin/sh' }, /control character/],
      [{ logLevel: 'loud' }, /log level/],
      [{ environment: { CROSSTALK_HOME: '/x' } }, /CROSSTALK_HOME/],
      [{ environment: { 'BAD NAME': '/x' } }, /variable name/],
      [{ environment: { NODE_EXTRA_CA_CERTS: 'a\rb' } }, /control character/],
    ];
    for (const [extra, message] of bad) {
      expect(() => planServiceInstall(ctxFor('linux', extra))).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }),
      );
    }
    expect(() => planServiceInstall(ctxFor('darwin', { uid: undefined }))).toThrow(/uid|user id/);
    expect(() => planServiceInstall(ctxFor('win32', { windowsUser: undefined }))).toThrow(/Windows user/);
    expect(() => planServiceInstall(ctxFor('freebsd' as ServicePlatform))).toThrow(expect.objectContaining({ code: 'SERVICE_FAILED' }));
  });

  it('leaves nothing behind when the inputs are refused', async () => {
    await expect(installService(ctxFor('linux', { nodePath: 'relative/node' }), recorder().runner)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await exists(join(home, '.config'))).toBe(false);
  });

  it('replaces an older or foreign unit and restarts the agent on the new one', async () => {
    const unit = join(home, '.config/systemd/user/crosstalk-agent.service');
    await mkdir(join(home, '.config/systemd/user'), { recursive: true });
    await writeFile(unit, '[Service]\nExecStart=/bin/false\n');
    const rec = recorder();
    const result = await installService(ctxFor('linux'), rec.runner);
    expect(result.changed).toBe(true);
    expect(await readFile(unit, 'utf8')).toBe(renderSystemdUnit(ctxFor('linux')));
    expect(rec.lines().at(-1)).toBe('systemctl --user try-restart crosstalk-agent.service');
  });
});
