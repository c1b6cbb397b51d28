// `crosstalk list`: conversations, optionally only this session's, by status.
import type { CommandHandler } from '../handler.js';
import { names, table } from '../lib/format.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import type { LIST_OPTIONS } from '../spec/sessions.js';

const handler: CommandHandler<typeof LIST_OPTIONS> = async (ctx, _args, options) => {
  const { status } = options;
  const host = await connectHost(ctx);
  const participant = options.mine ? await resolveSession(ctx, host.layout, options.as) : undefined;
  const { conversations } = await host.client.listConversations({ status, participant, archived: options.archived });
  const text =
    conversations.length === 0
      ? 'no conversations'
      : table(
          ['ID', 'STATUS', 'TURNS', 'NEXT', 'TOPIC'],
          conversations.map((c) => [c.id, c.archived ? `${c.status} (archived)` : c.status, `${c.turns}/${c.maxTurns}`, names(c.next), c.topic]),
        );
  return { data: { conversations }, text };
};
export default handler;
