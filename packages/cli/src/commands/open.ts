// `crosstalk open`: open a conversation and post its opening turn; prints the id.
import { checkLine, checkName, LIMITS } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { optionalInt, requiredText, sessionList } from '../lib/args.js';
import { readBody } from '../lib/body.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import { postData, postLine, postOnce } from '../lib/post.js';
import { say } from '../output.js';

const handler: CommandHandler = async (ctx, _args, options) => {
  const topic = checkLine(requiredText(options.topic, '--topic'), 'topic', LIMITS.topicChars);
  const withSessions = sessionList(options.with, '--with');
  const maxTurns = optionalInt(options.maxTurns, '--max-turns', 1, LIMITS.maxTurnsCeiling);
  const moderator = options.moderator === undefined ? undefined : checkName('session', options.moderator);
  const next = options.next === undefined ? undefined : sessionList(options.next, '--next');
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
