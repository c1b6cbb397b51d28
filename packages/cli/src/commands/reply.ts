// `crosstalk reply <id>`: post this session's turn, through this host's agent when one runs.
import { checkName, CrosstalkError } from '@crosstalk/core/light';
import type { PostAnswer } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { actingSession } from '../lib/acting.js';
import { readBody } from '../lib/body.js';
import { postData, postLine, sendPost } from '../lib/post.js';
import type { REPLY_OPTIONS } from '../spec/sessions.js';

const handler: CommandHandler<typeof REPLY_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { next, agree } = options;
  // `--propose` alone: the body is the decision (the relay takes an empty text to mean that).
  const propose = options.propose === true ? '' : options.propose;
  if (propose !== undefined && agree) throw new CrosstalkError('INVALID_REQUEST', 'a turn cannot both --propose and --agree');
  const as = await actingSession(ctx, options.as);
  const read = await readBody(ctx, options);
  // The body that is the decision drops the line end a pipe or heredoc leaves after the text, so
  // the decision reads as written ("…shape", not "…shape\n").
  const body = propose === '' ? read.replace(/\s+$/, '') : read;
  const fields = {
    as,
    // Without --expect-turn: the next turn, read just before posting (by the agent from its copy,
    // or here from the relay), so a turn that lands in between is a conflict, never an interleave.
    ...(options.expectTurn === undefined ? {} : { expectedTurn: options.expectTurn }),
    body,
    ...(next === undefined ? {} : { next }),
    ...(propose === undefined ? {} : { propose }),
    ...(agree ? { agree: true } : {}),
  };
  const answer = await sendPost<PostAnswer>(
    ctx,
    {
      op: 'turn',
      conversation: id,
      body: fields,
      direct: async (client, b) => {
        const expectedTurn = options.expectTurn ?? (await client.getConversation(id)).conversation.turns.length + 1;
        return client.postTurn(id, { ...(b as typeof fields & { idempotencyKey: string }), expectedTurn });
      },
    },
    { postTimeout: options.postTimeout, verbose: options.verbose },
  );
  return { data: postData(answer), text: postLine(answer) };
};
export default handler;
