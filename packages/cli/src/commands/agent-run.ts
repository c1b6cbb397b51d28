// `crosstalk agent run`: the host agent in the foreground; logs on stderr; Ctrl-C or SIGTERM
// stop it cleanly (cursor flushed, link closed).
import { runAgent } from '@crosstalk/agent';
import { EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { logLevel } from '../lib/args.js';
import { layoutOf } from '../lib/home.js';
import { aborted } from '../lib/signal.js';

const handler: CommandHandler = async (ctx, _args, options) => {
  const level = logLevel(options.logLevel);
  const agent = await runAgent({ layout: layoutOf(ctx), logLevel: level });
  const stop = aborted(ctx.signal).then(() => agent.stop());
  const result = await agent.stopped;
  void stop;
  if (result.reason === 'fatal') throw result.error;
  return { exitCode: EXIT.ok };
};
export default handler;
