// Windows: a Scheduled Task started at the user's logon with the user's interactive token, so the
// agent lives in the user's session and can reach the consoles it wakes. A task cannot carry
// environment variables, so the agent gets them from an env file that node reads (--env-file).
import { join } from 'node:path';
import { CrosstalkError } from '@crosstalk/core';
import { SERVICE_NAME, agentArgs, escapeXml, serviceEnvironment } from './common.js';
import type { ServiceInstallPlan, ServiceCommand, ServiceContext, ServiceUninstallPlan } from './types.js';

export const TASK_NAME = SERVICE_NAME;
const TIMEOUT_MS = 30_000;
// Read by node before --env-file is applied, so they must come from the user's environment.
const STARTUP_ONLY_VARIABLES = new Set(['NODE_EXTRA_CA_CERTS']);

export function taskPaths(ctx: ServiceContext): { xml: string; envFile: string } {
  return { xml: join(ctx.crosstalkHome, `${TASK_NAME}.xml`), envFile: join(ctx.crosstalkHome, 'agent.env') };
}

/** One argument for a Windows command line, as CommandLineToArgvW and the C runtime split it. */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    // Backslashes are literal unless they precede a quote: then each one needs its own escape.
    out += '\\'.repeat(ch === '"' ? backslashes * 2 + 1 : backslashes) + ch;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

// node's env-file parser keeps single- and backtick-quoted values verbatim (backslashes too).
function quoteEnvValue(name: string, value: string): string {
  for (const q of ["'", '`']) if (!value.includes(q)) return `${q}${value}${q}`;
  throw new CrosstalkError('CONFIG_INVALID', `the value of ${name} holds both ' and \` and cannot go into an env file`, {
    hint: `set ${name} for your Windows user instead (setx ${name} <value>)`,
  });
}

export function renderEnvFile(ctx: ServiceContext): string {
  const lines = ['# Written by `crosstalk agent install` for the scheduled task; read with node --env-file.'];
  for (const [name, value] of serviceEnvironment(ctx)) {
    if (!STARTUP_ONLY_VARIABLES.has(name)) lines.push(`${name}=${quoteEnvValue(name, value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function startupOnlyWarnings(ctx: ServiceContext): string[] {
  return serviceEnvironment(ctx)
    .filter(([name]) => STARTUP_ONLY_VARIABLES.has(name))
    .map(([name]) => `${name} cannot be passed to the scheduled task; the task inherits your user environment, so set it there: setx ${name} "<value>"`);
}

/** The task's settings, the same for every user: start at logon, restart on failure, never stop for time, power or idleness. */
const TASK_SETTINGS = [
  '  <Settings>',
  '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
  '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
  '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
  '    <AllowHardTerminate>true</AllowHardTerminate>',
  '    <StartWhenAvailable>true</StartWhenAvailable>',
  '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
  '    <IdleSettings>',
  '      <StopOnIdleEnd>false</StopOnIdleEnd>',
  '      <RestartOnIdle>false</RestartOnIdle>',
  '    </IdleSettings>',
  '    <AllowStartOnDemand>true</AllowStartOnDemand>',
  '    <Enabled>true</Enabled>',
  '    <Hidden>false</Hidden>',
  '    <RunOnlyIfIdle>false</RunOnlyIfIdle>',
  '    <WakeToRun>false</WakeToRun>',
  // PT0S: no time limit; the agent runs until logoff.
  '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
  '    <Priority>7</Priority>',
  '    <RestartOnFailure>',
  '      <Interval>PT1M</Interval>',
  '      <Count>999</Count>',
  '    </RestartOnFailure>',
  '  </Settings>',
];

export function renderTaskXml(ctx: ServiceContext): string {
  const user = escapeXml(ctx.windowsUser ?? '');
  const command = /\s/.test(ctx.nodePath) ? `"${ctx.nodePath}"` : ctx.nodePath;
  const args = [`--env-file=${taskPaths(ctx).envFile}`, ...agentArgs(ctx)].map(quoteWindowsArg).join(' ');
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<!-- Written by `crosstalk agent install`; `crosstalk agent uninstall` removes it. -->',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    '    <Description>crosstalk host agent</Description>',
    `    <URI>\\${TASK_NAME}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <LogonTrigger>',
    '      <Enabled>true</Enabled>',
    `      <UserId>${user}</UserId>`,
    '    </LogonTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${user}</UserId>`,
    // The user's own session: consoles are reachable only from inside it.
    '      <LogonType>InteractiveToken</LogonType>',
    '      <RunLevel>LeastPrivilege</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    ...TASK_SETTINGS,
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${escapeXml(command)}</Command>`,
    `      <Arguments>${escapeXml(args)}</Arguments>`,
    `      <WorkingDirectory>${escapeXml(ctx.homeDir)}</WorkingDirectory>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

/** schtasks /XML reads UTF-16 with a byte order mark, as its declaration says. */
export function encodeUtf16le(text: string): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function schtasks(args: string[], ignoreFailure = false): ServiceCommand {
  return { file: 'schtasks', args, timeoutMs: TIMEOUT_MS, ...(ignoreFailure ? { ignoreFailure } : {}) };
}

export function planTaskInstall(ctx: ServiceContext, replacing: boolean): ServiceInstallPlan {
  const paths = taskPaths(ctx);
  const commands = [schtasks(['/Create', '/TN', TASK_NAME, '/XML', paths.xml, '/F'])];
  // /Create /F replaces the definition but leaves a running agent on the old one.
  if (replacing) commands.push(schtasks(['/End', '/TN', TASK_NAME], true));
  // The logon trigger fires at the next logon; start the agent now as well.
  commands.push(schtasks(['/Run', '/TN', TASK_NAME]));
  return {
    dirs: [],
    files: [
      { path: paths.envFile, content: renderEnvFile(ctx), mode: 0o600 },
      { path: paths.xml, content: encodeUtf16le(renderTaskXml(ctx)), mode: 0o644 },
    ],
    commands,
    warnings: startupOnlyWarnings(ctx),
  };
}

export function planTaskUninstall(ctx: ServiceContext): ServiceUninstallPlan {
  const paths = taskPaths(ctx);
  return {
    commands: [schtasks(['/End', '/TN', TASK_NAME], true), schtasks(['/Delete', '/TN', TASK_NAME, '/F'])],
    files: [paths.xml, paths.envFile],
    after: [],
  };
}

export function taskStatusCommand(): ServiceCommand {
  return schtasks(['/Query', '/TN', TASK_NAME, '/FO', 'CSV', '/NH'], true);
}

/** The Status column of `schtasks /Query /FO CSV /NH` ("Running", "Ready", … in the system language). */
export function parseTaskState(csv: string): string | undefined {
  const line = csv.split(/\r?\n/).find((l) => l.trim() !== '');
  const fields = line?.match(/"((?:[^"]|"")*)"/g)?.map((f) => f.slice(1, -1).replace(/""/g, '"'));
  return fields?.[2];
}
