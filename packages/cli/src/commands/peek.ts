// `crosstalk peek <session>`: the last lines of a session's terminal (a tmux pane, or a Windows
// console's screen buffer), control characters removed, for a person's quick look. It reads the screen here, so it works on the session's own host (the
// admin on the relay machine peeks that machine's sessions); another host's screen is not sent over
// the relay.
import { readLocalSessions } from '@crosstalk/agent/local-sessions';
import { CrosstalkError, checkName } from '@crosstalk/core';
import { peekTerminal } from '@crosstalk/agent/peek';
import type { CommandHandler } from '../handler.js';
import { connectHost } from '../lib/home.js';
import { screenText } from '../lib/screen-text.js';
import type { PEEK_OPTIONS } from '../spec/spawn.js';

const handler: CommandHandler<typeof PEEK_OPTIONS> = async (ctx, args, options) => {
  const session = checkName('session', args[0] ?? '');
  const host = await connectHost(ctx);
  const local = (await readLocalSessions(host.layout.sessions)).find((s) => s.name === session);
  if (!local) {
    const remote = (await host.client.listSessions()).sessions.find((s) => s.name === session);
    if (!remote) throw new CrosstalkError('SESSION_NOT_FOUND', `no session named ${session}`);
    throw new CrosstalkError('INVALID_REQUEST', `${session} runs on host ${remote.host}; peek reads a screen on the session's own host`, {
      hint: `run \`crosstalk peek ${session}\` on ${remote.host}`,
    });
  }
  const peeked = await peekTerminal(session, local.wake, options.lines);
  const lines = screenText(peeked.lines.join('\n'), options.lines);
  return { data: { session, host: host.config.host, pane: peeked.pane, lines }, text: lines.join('\n') };
};
export default handler;
