// The thin part: write the planned files, run the planned commands through the given runner.
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CrosstalkError } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readIfExists } from '../fs/read-if-exists.js';
import { SERVICE_NAME } from './common.js';
import { launchdLogPaths, LAUNCHD_LABEL, parseLaunchdState } from './launchd.js';
import { planServiceInstall, planServiceUninstall, serviceDefinitionPath, serviceStatusCommand } from './plan.js';
import { parseTaskState, TASK_NAME } from './schtasks.js';
import type { ServiceCommandResult, ServiceRunner, ServiceInstallPlan, ServiceCommand, ServiceContext, ServiceStatus, ServiceUninstallPlan } from './types.js';

export interface ServiceInstallResult {
  plan: ServiceInstallPlan;
  /** The file that defines the service. */
  definition: string;
  /** False when every file already held exactly these bytes. */
  changed: boolean;
  warnings: string[];
}

export interface ServiceUninstallResult {
  plan: ServiceUninstallPlan;
  definition: string;
  /** False when there was nothing crosstalk had installed. */
  removed: boolean;
  /** What the service manager could not do; the files are removed all the same. */
  warnings: string[];
}

function managerHint(ctx: ServiceContext): string {
  switch (ctx.platform) {
    case 'linux':
      return `see \`systemctl --user status ${SERVICE_NAME}\` and \`journalctl --user -u ${SERVICE_NAME}\`; over ssh without a desktop login, run \`loginctl enable-linger\` first`;
    case 'darwin':
      return `see \`launchctl print gui/${ctx.uid}/${LAUNCHD_LABEL}\` and the logs in ${launchdLogPaths(ctx).dir}`;
    case 'win32':
      return `see \`schtasks /Query /TN ${TASK_NAME} /V /FO LIST\` or the task in Task Scheduler (taskschd.msc)`;
  }
}

const shown = (cmd: ServiceCommand) => [cmd.file, ...cmd.args].join(' ');

async function run(ctx: ServiceContext, runner: ServiceRunner, cmd: ServiceCommand): Promise<ServiceCommandResult> {
  let result: ServiceCommandResult;
  try {
    result = await runner(cmd);
  } catch (err) {
    throw new CrosstalkError('SERVICE_FAILED', `\`${shown(cmd)}\` could not run: ${(err as Error).message}`, { hint: managerHint(ctx), cause: err });
  }
  if (result.exitCode !== 0 && !cmd.ignoreFailure) {
    const why = result.timedOut ? `timed out after ${cmd.timeoutMs} ms` : `exited with ${result.exitCode}`;
    const said = result.stderr.trim() || result.stdout.trim();
    throw new CrosstalkError('SERVICE_FAILED', `\`${shown(cmd)}\` ${why}${said ? `: ${said.slice(0, 2000)}` : ''}`, {
      hint: managerHint(ctx),
      details: { file: cmd.file, args: cmd.args, exitCode: result.exitCode },
    });
  }
  return result;
}

/**
 * Writes the service definition, then registers and starts it. Running it again rewrites no file
 * that is current and restarts the agent only where it must (launchd always reloads the job).
 */
export async function installService(ctx: ServiceContext, runner: ServiceRunner): Promise<ServiceInstallResult> {
  const draft = planServiceInstall(ctx);
  const definition = serviceDefinitionPath(ctx);
  const hadDefinition = (await readIfExists(definition)) !== undefined;
  let changed = false;
  for (const file of draft.files) {
    const before = await readIfExists(file.path);
    if (before === undefined || !before.equals(Buffer.from(file.content))) changed = true;
  }
  const plan = changed && hadDefinition ? planServiceInstall(ctx, { replacing: true }) : draft;
  for (const dir of plan.dirs) await mkdir(dir, { recursive: true });
  for (const file of plan.files) {
    await mkdir(dirname(file.path), { recursive: true });
    await atomicWriteFile(file.path, file.content, { mode: file.mode });
  }
  try {
    for (const cmd of plan.commands) await run(ctx, runner, cmd);
  } catch (err) {
    // A new install the service manager refused leaves nothing behind, so `agent status` does not
    // report a service that was never registered.
    if (hadDefinition || !(err instanceof CrosstalkError)) throw err;
    for (const file of plan.files) await rm(file.path, { force: true });
    throw new CrosstalkError(err.code, `${err.message}; nothing was installed (${definition} was removed again)`, {
      hint: err.hint,
      details: err.details,
      cause: err,
    });
  }
  return { plan, definition, changed, warnings: plan.warnings };
}

/** Stops and unregisters the service and removes exactly the files the install wrote. */
export async function uninstallService(ctx: ServiceContext, runner: ServiceRunner): Promise<ServiceUninstallResult> {
  const plan = planServiceUninstall(ctx);
  const definition = serviceDefinitionPath(ctx);
  if ((await readIfExists(definition)) === undefined) return { plan, definition, removed: false, warnings: [] };
  // The files go even when the service manager cannot be asked (no user bus, say): what it never
  // loaded it does not run, and a file left behind would keep reporting a service.
  const warnings: string[] = [];
  const tryRun = async (cmd: ServiceCommand) => {
    try {
      await run(ctx, runner, cmd);
    } catch (err) {
      if (!(err instanceof CrosstalkError)) throw err;
      warnings.push(err.message);
    }
  };
  for (const cmd of plan.commands) await tryRun(cmd);
  for (const file of plan.files) await rm(file, { force: true });
  for (const cmd of plan.after) await tryRun(cmd);
  return { plan, definition, removed: true, warnings };
}

/** Asks the service manager whether the agent service exists and runs. Never throws for its answer. */
export async function serviceStatus(ctx: ServiceContext, runner: ServiceRunner): Promise<ServiceStatus> {
  const cmd = serviceStatusCommand(ctx);
  const definition = serviceDefinitionPath(ctx);
  const hasFile = (await readIfExists(definition)) !== undefined;
  let result: ServiceCommandResult;
  try {
    result = await runner(cmd);
  } catch (err) {
    return { platform: ctx.platform, definition, installed: hasFile, running: false, state: 'unknown', detail: (err as Error).message };
  }
  const detail = result.exitCode !== 0 && result.stderr.trim() ? { detail: result.stderr.trim().slice(0, 2000) } : {};
  switch (ctx.platform) {
    case 'linux': {
      const state = result.stdout.trim().split(/\r?\n/)[0] || 'unknown';
      return { platform: 'linux', definition, installed: hasFile, running: state === 'active', state, ...detail };
    }
    case 'darwin': {
      const state = result.exitCode === 0 ? (parseLaunchdState(result.stdout) ?? 'loaded') : 'not loaded';
      return { platform: 'darwin', definition, installed: hasFile, running: state === 'running', state, ...detail };
    }
    case 'win32': {
      const installed = result.exitCode === 0;
      const state = installed ? (parseTaskState(result.stdout) ?? 'unknown') : 'not installed';
      return { platform: 'win32', definition, installed, running: state === 'Running', state, ...detail };
    }
  }
}
