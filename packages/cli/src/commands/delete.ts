// `crosstalk delete <id>`: the relay stops serving the conversation's turns and every host removes
// its copies; a tombstone stays in the log. The admin (--admin), or the moderator once it is closed.
import { checkName } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { moderatorClient } from '../lib/moderator.js';
import type { REMOVAL_OPTIONS } from '../spec/moderation.js';

const handler: CommandHandler<typeof REMOVAL_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { client, as } = await moderatorClient(ctx, options);
  const answer = await client.deleteConversation(id, as === undefined ? {} : { as });
  return {
    data: { conversation: answer.conversation, seq: answer.seq, deleted: true },
    text: `deleted ${id}; the relay's log file keeps its turns until \`crosstalk relay compact\``,
  };
};
export default handler;
