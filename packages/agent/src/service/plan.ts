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

export function planServiceInstall(ctx: ServiceContext, options: ServiceInstallOptions = {}): ServiceInstallPlan {
  checkServiceContext(ctx);
  const replacing = options.replacing ?? false;
  switch (ctx.platform) {
    case 'linux':
      return planSystemdInstall(ctx, replacing);
    case 'darwin':
      return planLaunchdInstall(ctx);
    case 'win32':
      return planTaskInstall(ctx, replacing);
  }
}

export function planServiceUninstall(ctx: ServiceContext): ServiceUninstallPlan {
  checkServiceContext(ctx);
  switch (ctx.platform) {
    case 'linux':
      return planSystemdUninstall(ctx);
    case 'darwin':
      return planLaunchdUninstall(ctx);
    case 'win32':
      return planTaskUninstall(ctx);
  }
}

/** The file whose presence means the service was installed by crosstalk. */
export function serviceDefinitionPath(ctx: ServiceContext): string {
  switch (ctx.platform) {
    case 'linux':
      return systemdUnitPath(ctx);
    case 'darwin':
      return launchdPlistPath(ctx);
    case 'win32':
      return taskPaths(ctx).xml;
  }
}

export function serviceStatusCommand(ctx: ServiceContext): ServiceCommand {
  checkServiceContext(ctx);
  switch (ctx.platform) {
    case 'linux':
      return systemdStatusCommand();
    case 'darwin':
      return launchdStatusCommand(ctx);
    case 'win32':
      return taskStatusCommand();
  }
}
