// `crosstalk close <id> --resolution <text>`: close a conversation; it wakes nobody after this.
import { checkName } from '@crosstalk/core/light';
import type { ModerateAnswer } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { moderation } from '../lib/moderator.js';
import type { CLOSE_OPTIONS } from '../spec/moderation.js';

const handler: CommandHandler<typeof CLOSE_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { resolution } = options;
  const answer: ModerateAnswer = await moderation(ctx, options, 'close', id, { resolution }, (client, body) =>
    client.close(id, body as { resolution: string }),
  );
  return { data: { conversation: answer.conversation, seq: answer.seq }, text: `closed ${id}` };
};
export default handler;
