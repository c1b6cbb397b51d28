// `crosstalk close <id> --resolution <text>`: close a conversation; it wakes nobody after this.
import { checkName } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { moderatorClient } from '../lib/moderator.js';
import type { CLOSE_OPTIONS } from '../spec/moderation.js';

const handler: CommandHandler<typeof CLOSE_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { resolution } = options;
  const { client, as } = await moderatorClient(ctx, options);
  const answer = await client.close(id, { resolution, ...(as === undefined ? {} : { as }) });
  return { data: { conversation: answer.conversation, seq: answer.seq }, text: `closed ${id}` };
};
export default handler;
