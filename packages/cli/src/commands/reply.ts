// `crosstalk reply <id>`: post this session's turn.
import { checkName, CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { readBody } from '../lib/body.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import { postData, postLine, postOnce } from '../lib/post.js';
import type { REPLY_OPTIONS } from '../spec/sessions.js';

const handler: CommandHandler<typeof REPLY_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { next, agree } = options;
  // `--propose` alone: the body is the decision (the relay takes an empty text to mean that).
  const propose = options.propose === true ? '' : options.propose;
  if (propose !== undefined && agree) throw new CrosstalkError('INVALID_REQUEST', 'a turn cannot both --propose and --agree');
  const host = await connectHost(ctx);
  const as = await resolveSession(ctx, host.layout, options.as);
  const read = await readBody(ctx, options);
  // The body that is the decision drops the line end a pipe or heredoc leaves after the text, so
  // the decision reads as written ("…shape", not "…shape\n").
  const body = propose === '' ? read.replace(/\s+$/, '') : read;
  // The expected turn is read once, just before posting: a turn that lands in between is a
  // conflict, never an interleave.
  const expectedTurn = options.expectTurn ?? (await host.client.getConversation(id)).conversation.turns.length + 1;
  const answer = await postOnce(
    (idempotencyKey) =>
      host.client.postTurn(id, {
        as,
        expectedTurn,
        idempotencyKey,
        body,
        ...(next === undefined ? {} : { next }),
        ...(propose === undefined ? {} : { propose }),
        ...(agree ? { agree: true } : {}),
      }),
    ctx.signal,
  );
  return { data: postData(answer), text: postLine(answer) };
};
export default handler;
