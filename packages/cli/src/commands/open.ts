// `crosstalk open`: open a conversation and post its opening turn; prints the id.
import type { OpenRequest, PostAnswer } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { actingSession } from '../lib/acting.js';
import { readBody } from '../lib/body.js';
import { postData, postLine, sendPost } from '../lib/post.js';
import type { OPEN_OPTIONS } from '../spec/sessions.js';
import { say } from '../output.js';

const handler: CommandHandler<typeof OPEN_OPTIONS> = async (ctx, _args, options) => {
  const { topic, with: withSessions, maxTurns, moderator, next } = options;
  const as = await actingSession(ctx, options.as);
  const body = await readBody(ctx, options);
  const fields = {
    as,
    topic,
    with: withSessions,
    body,
    ...(moderator === undefined ? {} : { moderator }),
    ...(maxTurns === undefined ? {} : { maxTurns }),
    ...(next === undefined ? {} : { next }),
  };
  const answer = await sendPost<PostAnswer>(
    ctx,
    { op: 'open', body: fields, direct: (client, b) => client.openConversation(b as OpenRequest) },
    { postTimeout: options.postTimeout, verbose: options.verbose },
  );
  if (!ctx.json) say(ctx, postLine(answer));
  return { data: postData(answer), text: answer.conversation.id };
};
export default handler;
