// `crosstalk peek <session>`: the last lines of a session's terminal (a tmux pane, or a Windows
// console's screen buffer), control characters removed, for a person's quick look. A session of
// this host is read here; another host's is read by that host's agent, asked through the relay,
// which answers only as its policy allows (itself and the admin by default; docs/SPAWN.md).
import { readLocalSessions } from '@crosstalk/agent/local-sessions';
import { peekTerminal } from '@crosstalk/agent/peek';
import { checkName, PEEK_LIMITS } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { connectHost } from '../lib/home.js';
import { screenText } from '../lib/screen-text.js';
import { requester } from '../lib/spawn-requests.js';
import type { PEEK_OPTIONS } from '../spec/spawn.js';

const handler: CommandHandler<typeof PEEK_OPTIONS> = async (ctx, args, options) => {
  const session = checkName('session', args[0] ?? '');
  if (options.admin !== true) {
    const host = await connectHost(ctx);
    const local = (await readLocalSessions(host.layout.sessions)).find((s) => s.name === session);
    if (local) {
      const peeked = await peekTerminal(session, local.wake, options.lines);
      const lines = screenText(peeked.lines.join('\n'), options.lines);
      return { data: { session, host: host.config.host, pane: peeked.pane, lines }, text: lines.join('\n') };
    }
  }
  const { spawns } = await requester(ctx, options.admin === true);
  const answer = await spawns.peek({ session, lines: Math.min(options.lines, PEEK_LIMITS.lines) });
  const lines = screenText(answer.lines.join('\n'), options.lines);
  return { data: { session, host: answer.host, pane: null, lines }, text: lines.join('\n') };
};
export default handler;
