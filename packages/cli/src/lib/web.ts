// Starting the web view for `crosstalk web` and `crosstalk up`: its code is loaded only here, so
// no other command pays for it; the warning when it listens beyond this machine; opening the
// login link in a browser when asked.
import { spawn } from 'node:child_process';
import type { RunningWebServer } from '@crosstalk/web';
import type { CliContext } from '../handler.js';
import type { HostConnection } from './home.js';
import { say } from '../output.js';

export interface WebStart {
  port: number;
  listen?: string | undefined;
}

export async function startWeb(ctx: CliContext, host: Pick<HostConnection, 'config' | 'client' | 'signer'>, options: WebStart): Promise<RunningWebServer> {
  const { startWebServer, isLoopback } = await import('@crosstalk/web');
  const listen = options.listen ?? '127.0.0.1';
  const warning = listenWarning(listen, isLoopback);
  if (warning) say(ctx, warning);
  return startWebServer({
    host: host.config.host,
    client: host.client,
    signer: host.signer,
    listen,
    port: options.port,
    log: {
      warn: (message) => say(ctx, `web: ${message}`),
      error: (message, err) => say(ctx, `web: ${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    },
  });
}

/** What `--listen` beyond loopback must be told; nothing on loopback. */
export function listenWarning(listen: string, isLoopback: (address: string) => boolean): string | null {
  if (isLoopback(listen)) return null;
  return `warning: the web view listens on ${listen}, beyond this machine: its login link and cookie cross the network in clear text. Put it behind TLS (a reverse proxy that keeps the Host header).`;
}

/** Opens a URL in the desktop's browser; a machine without one is told, not failed. */
export function openInBrowser(ctx: CliContext, url: string): void {
  const [command, args] =
    ctx.platform === 'darwin' ? ['open', [url]] : ctx.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true, env: { ...ctx.env } as NodeJS.ProcessEnv });
  child.on('error', () => say(ctx, `could not open a browser (${command}); open the link yourself`));
  child.unref();
}
