// `crosstalk list`: conversations, optionally only this session's, by status.
import { CONVERSATION_STATUSES, CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { names, safeText, table } from '../lib/format.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';

const handler: CommandHandler = async (ctx, _args, options) => {
  const status = options.status === undefined ? undefined : String(options.status);
  if (status !== undefined && !(CONVERSATION_STATUSES as readonly string[]).includes(status)) {
    throw new CrosstalkError('INVALID_REQUEST', `--status must be one of ${CONVERSATION_STATUSES.join(', ')}`);
  }
  const host = await connectHost(ctx);
  const participant = options.mine === true ? await resolveSession(ctx, host.layout, options.as) : undefined;
  const { conversations } = await host.client.listConversations({ status, participant });
  const text =
    conversations.length === 0
      ? 'no conversations'
      : table(
          ['ID', 'STATUS', 'TURNS', 'NEXT', 'TOPIC'],
          conversations.map((c) => [c.id, c.status, `${c.turns}/${c.maxTurns}`, names(c.next), safeText(c.topic)]),
        );
  return { data: { conversations }, text };
};
export default handler;
