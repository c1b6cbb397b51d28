// `agent install` / `status` / `uninstall` wired to the agent's service installers. A systemd user
// manager needs root to run in a test (test/systemd/, its own tier), so here `systemctl` is a stub
// on PATH that records its arguments; the unit file the CLI writes is real (under the lab's private HOME).
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_BIN, explain, Lab, NODE, type Host } from '../harness/index.js';
import { documentedFields, keys } from './fields.js';

let lab: Lab;
let host: Host;
let env: Record<string, string>;
let calls: string;

beforeAll(async () => {
  lab = await Lab.create('service');
  await lab.startRelay();
  host = await lab.host('svc');
  const bin = join(lab.dir, 'stub-bin');
  await mkdir(bin);
  calls = join(lab.dir, 'systemctl.log');
  await writeFile(join(bin, 'systemctl'), '#!/bin/sh\necho "$*" >> "$SYSTEMCTL_LOG"\nif [ "$2" = is-active ]; then echo active; fi\nexit 0\n');
  await chmod(join(bin, 'systemctl'), 0o755);
  env = { PATH: `${bin}:${process.env.PATH}`, SYSTEMCTL_LOG: calls };
});
afterAll(() => lab?.cleanup());

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

it('installs a systemd user unit that runs this CLI for this home, reports it, and removes it', async () => {
  const unit = join(lab.userHome, '.config', 'systemd', 'user', 'crosstalk-agent.service');
  const r = await host.run(['agent', 'install', '--json'], { env });
  expect(r.exitCode, explain(r)).toBe(0);
  const data = r.json<Record<string, unknown>>();
  expect(keys(data)).toEqual(documentedFields('agent install'));
  expect(data).toMatchObject({ installed: true, platform: 'linux', definition: unit, changed: true, warnings: [] });
  const text = await readFile(unit, 'utf8');
  expect(text).toContain(NODE);
  expect(text).toContain(CLI_BIN);
  expect(text).toContain(`CROSSTALK_HOME=${host.home}`);
  expect(await readFile(calls, 'utf8')).toBe('--user daemon-reload\n--user enable --now crosstalk-agent.service\n');

  const again = await host.run(['agent', 'install'], { env });
  expect(again.exitCode, explain(again)).toBe(0);
  expect(again.stdout).toContain(`already installed: ${unit}`);

  const status = await host.run(['agent', 'status', '--json'], { env });
  expect(status.json<{ service: Record<string, unknown> }>().service).toMatchObject({
    platform: 'linux',
    definition: unit,
    installed: true,
    running: true,
    state: 'active',
  });

  const removed = await host.run(['agent', 'uninstall', '--json'], { env });
  expect(removed.exitCode, explain(removed)).toBe(0);
  expect(keys(removed.json())).toEqual(documentedFields('agent uninstall'));
  expect(removed.json()).toMatchObject({ removed: true, definition: unit });
  expect(await exists(unit)).toBe(false);
  const nothing = await host.run(['agent', 'uninstall'], { env });
  expect(nothing.stdout).toContain('nothing to do');
});

it('refuses to install for a home that is not enrolled', async () => {
  const r = await lab.run(join(lab.dir, 'empty'), ['agent', 'install'], { env });
  expect(r.exitCode, explain(r)).toBe(4);
  expect(r.stderr).toContain('[NOT_ENROLLED]');
});

it('without a user systemd bus: install fails and leaves no unit, status says not installed, uninstall removes the unit', async () => {
  const unit = join(lab.userHome, '.config', 'systemd', 'user', 'crosstalk-agent.service');
  const bin = join(lab.dir, 'no-bus-bin');
  await mkdir(bin);
  await writeFile(join(bin, 'systemctl'), '#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n');
  await chmod(join(bin, 'systemctl'), 0o755);
  const noBus = { PATH: `${bin}:${process.env.PATH}` };

  const failed = await host.run(['agent', 'install'], { env: noBus });
  expect(failed.exitCode, explain(failed)).not.toBe(0);
  expect(failed.stderr).toContain('Failed to connect to bus');
  expect(failed.stderr).toContain(`nothing was installed (${unit} was removed again)`);
  expect(await exists(unit)).toBe(false);
  const status = await host.run(['agent', 'status', '--json'], { env: noBus });
  expect(status.json<{ service: Record<string, unknown> }>().service).toMatchObject({ installed: false, running: false });

  // Installed while the bus was there; it is gone now: uninstall still removes the unit.
  expect((await host.run(['agent', 'install'], { env })).exitCode).toBe(0);
  expect(await exists(unit)).toBe(true);
  const removed = await host.run(['agent', 'uninstall', '--json'], { env: noBus });
  expect(removed.exitCode, explain(removed)).toBe(0);
  expect(removed.json()).toMatchObject({
    removed: true,
    definition: unit,
    warnings: expect.arrayContaining([expect.stringContaining('Failed to connect to bus')]),
  });
  expect(removed.stderr).toContain('warning: ');
  expect(await exists(unit)).toBe(false);
});
