// macOS: a launchd agent in the user's GUI domain, loaded at login and restarted when it fails.
import { join } from 'node:path';
import { homeLayout } from '../home/layout.js';
import { agentArgs, escapeXml, serviceEnvironment } from './common.js';
import type { ServiceInstallPlan, ServiceCommand, ServiceContext, ServiceUninstallPlan } from './types.js';

export const LAUNCHD_LABEL = 'dev.crosstalk.agent';
const TIMEOUT_MS = 30_000;

export function launchdPlistPath(ctx: ServiceContext): string {
  return join(ctx.homeDir, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
}

export function launchdLogPaths(ctx: ServiceContext): { dir: string; stdout: string; stderr: string } {
  const dir = homeLayout(ctx.crosstalkHome).logsDir;
  return { dir, stdout: join(dir, 'agent.out.log'), stderr: join(dir, 'agent.err.log') };
}

const str = (value: string) => `<string>${escapeXml(value)}</string>`;

export function renderLaunchdPlist(ctx: ServiceContext): string {
  const logs = launchdLogPaths(ctx);
  const args = [ctx.nodePath, ...agentArgs(ctx)].map((a) => `\t\t${str(a)}`);
  const env = serviceEnvironment(ctx).flatMap(([name, value]) => [`\t\t<key>${escapeXml(name)}</key>`, `\t\t${str(value)}`]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `crosstalk agent install`; `crosstalk agent uninstall` removes it. -->',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>Label</key>',
    `\t${str(LAUNCHD_LABEL)}`,
    '\t<key>ProgramArguments</key>',
    '\t<array>',
    ...args,
    '\t</array>',
    '\t<key>EnvironmentVariables</key>',
    '\t<dict>',
    ...env,
    '\t</dict>',
    '\t<key>WorkingDirectory</key>',
    `\t${str(ctx.homeDir)}`,
    '\t<key>RunAtLoad</key>',
    '\t<true/>',
    // Restart after a crash, not after a clean exit (the agent exits cleanly on SIGTERM).
    '\t<key>KeepAlive</key>',
    '\t<dict>',
    '\t\t<key>SuccessfulExit</key>',
    '\t\t<false/>',
    '\t</dict>',
    '\t<key>ThrottleInterval</key>',
    '\t<integer>5</integer>',
    // Background jobs get their CPU and I/O throttled; wake-ups are meant to be immediate.
    '\t<key>ProcessType</key>',
    '\t<string>Interactive</string>',
    '\t<key>StandardOutPath</key>',
    `\t${str(logs.stdout)}`,
    '\t<key>StandardErrorPath</key>',
    `\t${str(logs.stderr)}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

const domain = (ctx: ServiceContext) => `gui/${ctx.uid}`;
const target = (ctx: ServiceContext) => `${domain(ctx)}/${LAUNCHD_LABEL}`;

function launchctl(args: string[], ignoreFailure = false): ServiceCommand {
  return { file: 'launchctl', args, timeoutMs: TIMEOUT_MS, ...(ignoreFailure ? { ignoreFailure } : {}) };
}

export function planLaunchdInstall(ctx: ServiceContext): ServiceInstallPlan {
  return {
    // launchd does not create the directories of its log files.
    dirs: [launchdLogPaths(ctx).dir],
    files: [{ path: launchdPlistPath(ctx), content: renderLaunchdPlist(ctx), mode: 0o644 }],
    commands: [
      // bootstrap refuses a label that is already loaded: unload the old definition first.
      launchctl(['bootout', target(ctx)], true),
      // An earlier `launchctl disable` would make bootstrap fail.
      launchctl(['enable', target(ctx)]),
      launchctl(['bootstrap', domain(ctx), launchdPlistPath(ctx)]),
    ],
    warnings: [],
  };
}

export function planLaunchdUninstall(ctx: ServiceContext): ServiceUninstallPlan {
  return { commands: [launchctl(['bootout', target(ctx)], true)], files: [launchdPlistPath(ctx)], after: [] };
}

export function launchdStatusCommand(ctx: ServiceContext): ServiceCommand {
  return launchctl(['print', target(ctx)], true);
}

/** The `state = …` line of `launchctl print`. */
export function parseLaunchdState(printed: string): string | undefined {
  return /^[ \t]*state = (.+?)[ \t\r]*$/m.exec(printed)?.[1];
}
