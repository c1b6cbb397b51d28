// `crosstalk agent run`: the host agent in the foreground; logs on stderr; Ctrl-C or SIGTERM
// stop it cleanly (cursor flushed, link closed).
import { runAgent } from '@crosstalk/agent';
import { EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { logLevel } from '../lib/args.js';
import { layoutOf } from '../lib/home.js';

const handler: CommandHandler = async (ctx, _args, options) => {
  const level = logLevel(options.logLevel);
  const agent = await runAgent({ layout: layoutOf(ctx), logLevel: level });
  const stop = () => void agent.stop();
  ctx.signal.addEventListener('abort', stop, { once: true });
  if (ctx.signal.aborted) stop();
  const result = await agent.stopped;
  ctx.signal.removeEventListener('abort', stop);
  if (result.reason === 'fatal') throw result.error;
  return { exitCode: EXIT.ok };
};
export default handler;
