// `crosstalk moderate <id>`: exactly one moderator action.
import { checkName, CrosstalkError } from '@crosstalk/core/light';
import type { ModerationAction } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import type { OptionsOf } from '../options/types.js';
import { moderation } from '../lib/moderator.js';
import type { MODERATE_OPTIONS } from '../spec/moderation.js';

const ACTIONS = ['next', 'extend', 'add', 'remove'] as const;

/** The one action given; none or several is a usage error. */
function actionOf(options: OptionsOf<typeof MODERATE_OPTIONS>): ModerationAction {
  const { next, extend, add, remove } = options;
  const given = ACTIONS.filter((k) => options[k] !== undefined);
  if (given.length === 1) {
    if (next !== undefined) return { type: 'next', next };
    if (extend !== undefined) return { type: 'extend', by: extend };
    if (add !== undefined) return { type: 'add', session: add };
    if (remove !== undefined) return { type: 'remove', session: remove };
  }
  throw new CrosstalkError(
    'INVALID_REQUEST',
    `give exactly one of --next, --extend, --add, --remove${given.length > 1 ? ` (got ${given.map((g) => `--${g}`).join(', ')})` : ''}`,
    {
      hint: 'run one `crosstalk moderate` per action, e.g. `crosstalk moderate <id> --extend 10`',
    },
  );
}

const handler: CommandHandler<typeof MODERATE_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const action = actionOf(options);
  const answer = await moderation(ctx, options, 'moderate', id, { action }, (client, body) => client.moderate(id, body as { action: ModerationAction }));
  const c = answer.conversation;
  const names = (list: readonly string[]) => (list.length > 0 ? list.join(', ') : '-');
  const text = `${c.id}: ${c.status}, turn ${c.turns}/${c.maxTurns}, next: ${names(c.next)}, participants: ${c.participants.join(', ')}`;
  return { data: { conversation: c, seq: answer.seq }, text };
};
export default handler;
