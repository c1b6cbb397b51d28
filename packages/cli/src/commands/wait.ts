// `crosstalk wait <id>`: block until it is this session's turn (exit 0), or the conversation
// ended or reached its limit without this session holding the floor (exit 10).
import { checkName, CrosstalkError, EXIT, type Conversation } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { names } from '../lib/format.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import { INTERRUPTED } from '../lib/signal.js';
import type { WAIT_OPTIONS } from '../spec/sessions.js';
import { judge, waitForTurn } from '../lib/waiting.js';
import { say } from '../output.js';

function endedText(c: Conversation, session: string): string {
  switch (c.status) {
    case 'closed':
      return `${c.id} was closed${c.resolution ? `: ${c.resolution.text.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
    case 'converged':
      return `${c.id} converged on a decision; the moderator ${c.moderator} can close it`;
    case 'at-limit':
      return `${c.id} reached its limit of ${c.maxTurns} turns; the floor is with the moderator ${c.moderator}, not ${session}`;
    default:
      return `${c.id}: ${c.status}`;
  }
}

const handler: CommandHandler<typeof WAIT_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const host = await connectHost(ctx);
  const session = await resolveSession(ctx, host.layout, options.as);
  const outcome = await waitForTurn({
    client: host.client,
    signer: host.signer,
    id,
    session,
    waitingDir: host.layout.waitingDir,
    pid: ctx.pid,
    timeoutMs: options.timeout,
    signal: ctx.signal,
    warn: (line) => say(ctx, `warning: ${line}`),
    onPending: (c) => say(ctx, `waiting for ${session}'s turn in ${id} (next: ${names(c.next)})…`),
    until: (c) => {
      if (!c.participants.includes(session) && c.moderator !== session) {
        throw new CrosstalkError('NOT_A_PARTICIPANT', `${session} does not take part in ${id}, so it is never its turn`, { details: { session } });
      }
      return judge(c, session);
    },
  });
  if (outcome.result === 'interrupted') return { data: { id, session, result: 'interrupted' }, text: 'interrupted', exitCode: INTERRUPTED };
  const c = outcome.conversation;
  const data = { id, session, result: outcome.result, status: c.status, turn: c.turns.length + 1, maxTurns: c.maxTurns, next: c.next };
  if (outcome.result === 'your-turn') {
    const text =
      c.status === 'at-limit'
        ? `${id} reached its limit of ${c.maxTurns} turns and ${session} moderates it: extend it or close it`
        : `your turn in ${id} (turn ${c.turns.length + 1}/${c.maxTurns}); next: ${names(c.next)}`;
    return { data, text, exitCode: EXIT.ok };
  }
  return { data, text: endedText(c, session), exitCode: EXIT.ended };
};
export default handler;
