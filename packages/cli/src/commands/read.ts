// `crosstalk read <id>`: the conversation as markdown from the relay; `--json` structured.
import { checkName } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { formatSince, safeText } from '../lib/format.js';
import { connectHost } from '../lib/home.js';
import type { READ_OPTIONS } from '../spec/sessions.js';

const handler: CommandHandler<typeof READ_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { since } = options;
  const { client } = await connectHost(ctx);
  if (ctx.json || (since !== undefined && since > 0)) {
    const { conversation } = await client.getConversation(id, { since });
    return { data: { conversation }, text: formatSince(conversation, since ?? 0).replace(/^\n/, '') || `no turns after turn ${since} in ${id}` };
  }
  return { text: safeText(await client.getMarkdown(id)) };
};
export default handler;
