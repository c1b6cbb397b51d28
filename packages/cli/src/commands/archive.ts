// `crosstalk archive <id>`: hide a conversation from `list` and have every host move its copy to
// the archive folder. The moderator, or the relay admin with --admin.
import { checkName } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { moderatorClient } from '../lib/moderator.js';
import type { REMOVAL_OPTIONS } from '../spec/moderation.js';

const handler: CommandHandler<typeof REMOVAL_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { client, as } = await moderatorClient(ctx, options);
  const answer = await client.archive(id, as === undefined ? {} : { as });
  return { data: { conversation: answer.conversation, seq: answer.seq, archived: true }, text: `archived ${id}; \`crosstalk list --archived\` shows it` };
};
export default handler;
