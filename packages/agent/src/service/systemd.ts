// Linux: a systemd user unit, so the agent runs as the user, starts with the user's manager and
// restarts when it fails. https://www.freedesktop.org/software/systemd/man/systemd.service.html
import { join } from 'node:path';
import { CrosstalkError } from '@crosstalk/core';
import { SERVICE_NAME, agentArgs, serviceEnvironment } from './common.js';
import type { ServiceInstallPlan, ServiceCommand, ServiceContext, ServiceUninstallPlan } from './types.js';

const SYSTEMD_UNIT = `${SERVICE_NAME}.service`;
const TIMEOUT_MS = 30_000;

export function systemdUnitPath(ctx: ServiceContext): string {
  return join(ctx.xdgConfigHome ?? join(ctx.homeDir, '.config'), 'systemd', 'user', SYSTEMD_UNIT);
}

// Inside double quotes systemd honours C escapes, so \ and " are escaped; % starts a specifier
// everywhere, so it is doubled. $ starts a variable in the arguments but not in the executable.
function quoteArg(word: string): string {
  return `"${word.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

// systemd refuses an executable path holding quotes or backslashes, however they are escaped.
function quoteExecutable(path: string): string {
  if (/["'\\]/.test(path)) {
    throw new CrosstalkError('CONFIG_INVALID', `systemd cannot run an executable whose path holds quotes or backslashes: ${path}`, {
      hint: 'install node under a path without quotes or backslashes',
    });
  }
  return `"${path.replace(/%/g, '%%')}"`;
}

// Environment= does not expand $, but does expand specifiers.
function quoteEnvironment(name: string, value: string): string {
  return `"${`${name}=${value}`.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%')}"`;
}

export function renderSystemdUnit(ctx: ServiceContext): string {
  const exec = [quoteExecutable(ctx.nodePath), ...agentArgs(ctx).map(quoteArg)].join(' ');
  const env = serviceEnvironment(ctx).map(([name, value]) => `Environment=${quoteEnvironment(name, value)}`);
  return [
    '# Written by `crosstalk agent install`; `crosstalk agent uninstall` removes it.',
    '[Unit]',
    'Description=crosstalk host agent',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...env,
    'Restart=on-failure',
    'RestartSec=5',
    // The agent flushes its cursor and exits on SIGTERM.
    'KillSignal=SIGTERM',
    // Only the agent is stopped: the coding agents it spawned live on its private tmux server, in
    // this unit's control group, and must outlive a restart of the agent (docs/SPAWN.md).
    'KillMode=process',
    'TimeoutStopSec=20',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function systemctl(...args: string[]): ServiceCommand {
  return { file: 'systemctl', args: ['--user', ...args], timeoutMs: TIMEOUT_MS };
}

export function planSystemdInstall(ctx: ServiceContext, replacing: boolean): ServiceInstallPlan {
  const commands = [systemctl('daemon-reload'), systemctl('enable', '--now', SYSTEMD_UNIT)];
  // enable --now leaves a running agent on its old command line.
  if (replacing) commands.push(systemctl('try-restart', SYSTEMD_UNIT));
  return {
    dirs: [],
    files: [{ path: systemdUnitPath(ctx), content: renderSystemdUnit(ctx), mode: 0o644 }],
    commands,
    warnings: [],
  };
}

export function planSystemdUninstall(ctx: ServiceContext): ServiceUninstallPlan {
  return {
    commands: [systemctl('disable', '--now', SYSTEMD_UNIT)],
    files: [systemdUnitPath(ctx)],
    after: [systemctl('daemon-reload')],
  };
}

export function systemdStatusCommand(): ServiceCommand {
  return { ...systemctl('is-active', SYSTEMD_UNIT), ignoreFailure: true };
}
