// Pure plans: which files an install writes and which commands it runs, per platform.
import { checkServiceContext } from './common.js';
import { launchdPlistPath, launchdStatusCommand, planLaunchdInstall, planLaunchdUninstall } from './launchd.js';
import { planTaskInstall, planTaskUninstall, taskPaths, taskStatusCommand } from './schtasks.js';
import { planSystemdInstall, planSystemdUninstall, systemdStatusCommand, systemdUnitPath } from './systemd.js';
import type { ServiceInstallPlan, ServiceCommand, ServiceContext, ServiceUninstallPlan } from './types.js';

export interface ServiceInstallOptions {
  /** An older definition is being replaced: restart a running agent so it takes effect. */
  replacing?: boolean;
}

/** What each platform's service manager does, behind one shape. */
interface ServiceManager {
  install(ctx: ServiceContext, replacing: boolean): ServiceInstallPlan;
  uninstall(ctx: ServiceContext): ServiceUninstallPlan;
  /** The file whose presence means the service was installed by crosstalk. */
  definition(ctx: ServiceContext): string;
  status(ctx: ServiceContext): ServiceCommand;
}

const MANAGERS: Record<ServiceContext['platform'], ServiceManager> = {
  linux: { install: planSystemdInstall, uninstall: planSystemdUninstall, definition: systemdUnitPath, status: () => systemdStatusCommand() },
  darwin: { install: (ctx) => planLaunchdInstall(ctx), uninstall: planLaunchdUninstall, definition: launchdPlistPath, status: launchdStatusCommand },
  win32: { install: planTaskInstall, uninstall: planTaskUninstall, definition: (ctx) => taskPaths(ctx).xml, status: () => taskStatusCommand() },
};

export function planServiceInstall(ctx: ServiceContext, options: ServiceInstallOptions = {}): ServiceInstallPlan {
  checkServiceContext(ctx);
  return MANAGERS[ctx.platform].install(ctx, options.replacing ?? false);
}

export function planServiceUninstall(ctx: ServiceContext): ServiceUninstallPlan {
  checkServiceContext(ctx);
  return MANAGERS[ctx.platform].uninstall(ctx);
}

/** The file whose presence means the service was installed by crosstalk. */
export function serviceDefinitionPath(ctx: ServiceContext): string {
  return MANAGERS[ctx.platform].definition(ctx);
}

export function serviceStatusCommand(ctx: ServiceContext): ServiceCommand {
  checkServiceContext(ctx);
  return MANAGERS[ctx.platform].status(ctx);
}
