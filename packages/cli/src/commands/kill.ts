// `crosstalk kill <session>`: ask the session's host to stop a coding agent it spawned (gracefully,
// then forced); the session is left `gone`, its conversations and copies kept.
import { checkName } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { outcomeError, requester, waitOutcome } from '../lib/spawn-requests.js';
import type { KILL_OPTIONS } from '../spec/spawn.js';

const handler: CommandHandler<typeof KILL_OPTIONS> = async (ctx, args, options) => {
  const session = checkName('session', args[0] ?? '');
  const who = await requester(ctx, options.admin);
  const request = await who.spawns.requestKill({ session });
  const outcome = await waitOutcome(who.client, 'kill.resulted', request, options.timeout, ctx.signal);
  if (outcome.outcome !== 'killed') throw outcomeError('kill', outcome);
  const data = { session, host: outcome.host, state: 'gone', request: request.id };
  return { data, text: `${session} on ${outcome.host}: stopped; the session is gone, its conversations are kept` };
};
export default handler;
