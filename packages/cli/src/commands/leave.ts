// `crosstalk leave`: unregister a session (here and on the relay).
import { leaveSession } from '@crosstalk/agent';
import type { CommandHandler } from '../handler.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import type { AS_ONLY } from '../spec/sessions.js';

const handler: CommandHandler<typeof AS_ONLY> = async (ctx, _args, options) => {
  const host = await connectHost(ctx);
  const session = await resolveSession(ctx, host.layout, options.as);
  const result = await leaveSession({ layout: host.layout, name: session, client: host.client });
  const text = result.removedOnRelay || result.removedLocally ? `${session} left; it is no longer woken` : `${session} was not joined; nothing to do`;
  return { data: { session, ...result }, text };
};
export default handler;
