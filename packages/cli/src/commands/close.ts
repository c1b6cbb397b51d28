// `crosstalk close <id> --resolution <text>`: close a conversation; it wakes nobody after this.
import { checkBody, checkName, LIMITS } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { requiredText } from '../lib/args.js';
import { moderatorClient } from '../lib/moderator.js';

const handler: CommandHandler = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const resolution = checkBody(requiredText(options.resolution, '--resolution'), 'resolution', LIMITS.resolutionBytes);
  const { client, as } = await moderatorClient(ctx, options);
  const answer = await client.close(id, { resolution, ...(as === undefined ? {} : { as }) });
  return { data: { conversation: answer.conversation, seq: answer.seq }, text: `closed ${id}` };
};
export default handler;
