// `crosstalk web`: the web view, acting as this host, until Ctrl-C. The login link is the data
// (stdout); what it is and how long it works is talk (stderr).
import { EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { connectHost } from '../lib/home.js';
import { aborted } from '../lib/signal.js';
import { openInBrowser, startWeb } from '../lib/web.js';
import { printJsonLine, printText, say } from '../output.js';
import type { WEB_OPTIONS } from '../spec/moderation.js';

const handler: CommandHandler<typeof WEB_OPTIONS> = async (ctx, _args, options) => {
  const host = await connectHost(ctx);
  const web = await startWeb(ctx, host, { port: options.port, listen: options.listen });
  try {
    const link = web.loginLink();
    say(
      ctx,
      `crosstalk web: serving ${web.url} as host ${host.config.host}. Open the login link below; it works once, until ${link.expiresAt.toISOString()}. Ctrl-C stops it.`,
    );
    if (ctx.json) printJsonLine(ctx, { url: web.url, login: link.url, expiresAt: link.expiresAt.toISOString() });
    else printText(ctx, `${link.url}\n`);
    if (options.open) openInBrowser(ctx, link.url);
    await aborted(ctx.signal);
    say(ctx, 'stopping');
  } finally {
    await web.close();
  }
  return { exitCode: EXIT.ok };
};
export default handler;
