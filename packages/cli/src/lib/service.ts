// The agent as a per-user service: the context the agent's service installers need, built from
// what the entry point read once.
import type { HomeLayout, ServiceContext, ServicePlatform } from '@crosstalk/agent';
import type { CliContext } from '../handler.js';
import { windowsAccount } from './key-acl.js';

export function serviceContext(ctx: CliContext, layout: HomeLayout): ServiceContext {
  const extraCa = ctx.env.NODE_EXTRA_CA_CERTS;
  return {
    platform: ctx.platform as ServicePlatform,
    nodePath: ctx.nodePath,
    cliPath: ctx.binPath,
    crosstalkHome: layout.home,
    homeDir: ctx.userHome,
    xdgConfigHome: ctx.env.XDG_CONFIG_HOME || undefined,
    uid: ctx.uid,
    windowsUser: ctx.platform === 'win32' ? windowsAccount(ctx) : undefined,
    environment: extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : undefined,
  };
}
