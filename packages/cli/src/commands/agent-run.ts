// `crosstalk agent run`: the host agent in the foreground; logs on stderr; Ctrl-C or SIGTERM
// stop it cleanly (cursor flushed, link closed).
import { runAgent } from '@crosstalk/agent';
import { EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { layoutOf } from '../lib/home.js';
import { keyProtection } from '../lib/key-acl.js';
import type { AGENT_RUN_OPTIONS } from '../spec/admin.js';

const handler: CommandHandler<typeof AGENT_RUN_OPTIONS> = async (ctx, _args, options) => {
  const agent = await runAgent({ layout: layoutOf(ctx), logLevel: options.logLevel, protectFiles: keyProtection(ctx) });
  const stop = () => void agent.stop();
  ctx.signal.addEventListener('abort', stop, { once: true });
  if (ctx.signal.aborted) stop();
  const result = await agent.stopped;
  ctx.signal.removeEventListener('abort', stop);
  if (result.reason === 'fatal') throw result.error;
  return { exitCode: EXIT.ok };
};
export default handler;
