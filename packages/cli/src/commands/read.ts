// `crosstalk read <id>`: the conversation as markdown from the relay; `--json` structured. With
// `--new`, only what the session has not seen: a woken coding agent that took part already holds
// the earlier turns, and reading them again would cost it the whole conversation every turn.
import { checkName, CrosstalkError, unseenBy } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { formatSince, formatUnseen } from '../lib/format.js';
import { connectHost, type HostConnection } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import type { READ_OPTIONS } from '../spec/sessions.js';

async function readNew(ctx: Parameters<CommandHandler<typeof READ_OPTIONS>>[0], host: HostConnection, id: string, as: string | undefined) {
  const session = await resolveSession(ctx, host.layout, as);
  const { conversation: c } = await host.client.getConversation(id);
  const unseen = unseenBy(c, session);
  const text = formatUnseen(c, unseen);
  // The same shape as `--since`: the conversation with only what is new in it.
  return { data: { conversation: { ...c, turns: unseen.turns, notes: unseen.notes } }, text };
}

const handler: CommandHandler<typeof READ_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { since } = options;
  if (options.new && since !== undefined) throw new CrosstalkError('INVALID_REQUEST', 'pass either --new or --since, not both');
  const host = await connectHost(ctx);
  if (options.new) return readNew(ctx, host, id, options.as);
  if (ctx.json || (since !== undefined && since > 0)) {
    const { conversation } = await host.client.getConversation(id, { since });
    return { data: { conversation }, text: formatSince(conversation, since ?? 0).replace(/^\n/, '') || `no turns after turn ${since} in ${id}` };
  }
  return { text: await host.client.getMarkdown(id) };
};
export default handler;
