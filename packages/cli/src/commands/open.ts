// `crosstalk open`: open a conversation and post its opening turn; prints the id.
import type { CommandHandler } from '../handler.js';
import { readBody } from '../lib/body.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import { postData, postLine, postOnce } from '../lib/post.js';
import type { OPEN_OPTIONS } from '../spec/sessions.js';
import { say } from '../output.js';

const handler: CommandHandler<typeof OPEN_OPTIONS> = async (ctx, _args, options) => {
  const { topic, with: withSessions, maxTurns, moderator, next } = options;
  const host = await connectHost(ctx);
  const as = await resolveSession(ctx, host.layout, options.as);
  const body = await readBody(ctx, options);
  const answer = await postOnce(
    (idempotencyKey) =>
      host.client.openConversation({
        as,
        topic,
        with: withSessions,
        body,
        idempotencyKey,
        ...(moderator === undefined ? {} : { moderator }),
        ...(maxTurns === undefined ? {} : { maxTurns }),
        ...(next === undefined ? {} : { next }),
      }),
    ctx.signal,
  );
  if (!ctx.json) say(ctx, postLine(answer));
  return { data: postData(answer), text: answer.conversation.id };
};
export default handler;
