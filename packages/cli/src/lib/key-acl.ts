// On Windows the host key is made readable by the user alone with icacls (there is no chmod);
// every command that enrolls this machine passes this to the enrollment.
import { CrosstalkError } from '@crosstalk/core';
import type { KeyProtection } from '@crosstalk/agent/home';
import type { CliContext } from '../handler.js';

/** `DOMAIN\user` of the account running crosstalk, as icacls and the Scheduled Task name it. */
export const windowsAccount = (ctx: Pick<CliContext, 'env' | 'username'>): string => `${ctx.env.USERDOMAIN || '.'}\\${ctx.username}`;

export function keyProtection(ctx: Pick<CliContext, 'platform' | 'env' | 'username'>): KeyProtection | undefined {
  if (ctx.platform !== 'win32') return undefined;
  return { platform: 'win32', windowsUser: windowsAccount(ctx), run: runIcacls };
}

async function runIcacls(file: string, args: string[]): Promise<void> {
  const { execa } = await import('execa');
  const result = await execa(file, args, { timeout: 20_000, reject: false, windowsHide: true });
  if (!result.failed) return;
  const shown = [file, ...args].map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
  throw new CrosstalkError(
    'CONFIG_INVALID',
    `enrolled, but the host key could not be made readable by you only: ${(result.shortMessage ?? String(result.stderr)).slice(0, 300)}`,
    {
      hint: `run: ${shown}`,
    },
  );
}
