// What every service definition shares: validated inputs, the agent's command line, its
// environment. Values end up inside unit files, plists and task XML, so nothing unchecked goes in.
import { posix, win32 } from 'node:path';
import { CrosstalkError, isLogLevel, LOG_LEVELS } from '@crosstalk/core';
import type { ServiceContext } from './types.js';

export const SERVICE_NAME = 'crosstalk-agent';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// Control characters cannot be represented in a unit file line, a plist or task XML.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MAX_VALUE_CHARS = 4096;

function invalid(message: string, hint: string): CrosstalkError {
  return new CrosstalkError('CONFIG_INVALID', message, { hint });
}

function checkValue(what: string, value: string): void {
  if (value === '') throw invalid(`${what} is empty`, 'pass a non-empty value');
  if (value.length > MAX_VALUE_CHARS) throw invalid(`${what} is longer than ${MAX_VALUE_CHARS} characters`, 'use a shorter path');
  if (CONTROL.test(value)) throw invalid(`${what} contains a control character or line break`, 'use a path without control characters');
}

function checkPath(ctx: ServiceContext, what: string, value: string): void {
  checkValue(what, value);
  const absolute = ctx.platform === 'win32' ? win32.isAbsolute(value) : posix.isAbsolute(value);
  if (!absolute) throw invalid(`${what} must be an absolute path, got ${JSON.stringify(value)}`, 'pass an absolute path');
}

/** Throws CONFIG_INVALID naming the first value that cannot go into a service definition. */
export function checkServiceContext(ctx: ServiceContext): void {
  if (!['linux', 'darwin', 'win32'].includes(ctx.platform)) {
    throw new CrosstalkError('SERVICE_FAILED', `no service manager is supported on ${String(ctx.platform)}`, {
      hint: 'run `crosstalk agent run` under your own supervisor',
    });
  }
  checkPath(ctx, 'the node path', ctx.nodePath);
  checkPath(ctx, 'the CLI path', ctx.cliPath);
  checkPath(ctx, 'the crosstalk home', ctx.crosstalkHome);
  checkPath(ctx, 'the home directory', ctx.homeDir);
  if (ctx.xdgConfigHome !== undefined) checkPath(ctx, 'XDG_CONFIG_HOME', ctx.xdgConfigHome);
  if (ctx.logLevel !== undefined && !isLogLevel(ctx.logLevel)) {
    throw invalid(`unknown log level ${JSON.stringify(ctx.logLevel)}`, `use one of ${LOG_LEVELS.join(', ')}`);
  }
  for (const [name, value] of Object.entries(ctx.environment ?? {})) {
    if (!ENV_NAME.test(name)) throw invalid(`invalid environment variable name ${JSON.stringify(name)}`, 'use letters, digits and _');
    if (name === 'CROSSTALK_HOME') throw invalid('CROSSTALK_HOME is set from the crosstalk home', 'pass the home as crosstalkHome');
    checkValue(`the value of ${name}`, value);
  }
  if (ctx.platform === 'darwin' && !(Number.isInteger(ctx.uid) && (ctx.uid ?? -1) >= 0)) {
    throw invalid('the user id is needed for launchd', 'pass the numeric uid (process.getuid())');
  }
  if (ctx.platform === 'win32') {
    if (ctx.windowsUser === undefined) throw invalid('the Windows user is needed for the scheduled task', 'pass DOMAIN\\user');
    checkValue('the Windows user', ctx.windowsUser);
  }
}

/** The agent's argv after the node executable. */
export function agentArgs(ctx: ServiceContext): string[] {
  return [ctx.cliPath, 'agent', 'run', ...(ctx.logLevel === undefined ? [] : ['--log-level', ctx.logLevel])];
}

/** CROSSTALK_HOME plus any extra variables, in a stable order so definitions are byte-stable. */
export function serviceEnvironment(ctx: ServiceContext): Array<[string, string]> {
  const env: Array<[string, string]> = [['CROSSTALK_HOME', ctx.crosstalkHome]];
  for (const name of Object.keys(ctx.environment ?? {}).sort()) env.push([name, ctx.environment![name]!]);
  return env;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}
