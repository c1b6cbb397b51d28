// `crosstalk moderate <id>`: exactly one moderator action.
import { checkName, CrosstalkError, LIMITS, type ModerationAction } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { optionalInt, sessionList } from '../lib/args.js';
import { names } from '../lib/format.js';
import { moderatorClient } from '../lib/moderator.js';

function actionOf(options: Record<string, unknown>): ModerationAction {
  const given = ['next', 'extend', 'add', 'remove'].filter((k) => options[k] !== undefined);
  if (given.length !== 1) {
    throw new CrosstalkError('INVALID_REQUEST', `give exactly one of --next, --extend, --add, --remove${given.length > 1 ? ` (got ${given.map((g) => `--${g}`).join(', ')})` : ''}`, {
      hint: 'run one `crosstalk moderate` per action, e.g. `crosstalk moderate <id> --extend 10`',
    });
  }
  if (options.next !== undefined) return { type: 'next', next: sessionList(options.next, '--next') };
  if (options.extend !== undefined) return { type: 'extend', by: optionalInt(options.extend, '--extend', 1, LIMITS.maxTurnsCeiling) as number };
  if (options.add !== undefined) return { type: 'add', session: checkName('session', options.add) };
  return { type: 'remove', session: checkName('session', options.remove) };
}

const handler: CommandHandler = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const action = actionOf(options);
  const { client, as } = await moderatorClient(ctx, options);
  const answer = await client.moderate(id, { action, ...(as === undefined ? {} : { as }) });
  const c = answer.conversation;
  const text = `${c.id}: ${c.status}, turn ${c.turns}/${c.maxTurns}, next: ${names(c.next)}, participants: ${c.participants.join(', ')}`;
  return { data: { conversation: c, seq: answer.seq }, text };
};
export default handler;
