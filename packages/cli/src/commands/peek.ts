// `crosstalk peek <session>`: the last lines of a session's terminal, control characters removed,
// for a person's quick look. It reads the screen here, so it works on the session's own host (the
// admin on the relay machine peeks that machine's sessions); another host's screen is not sent over
// the relay.
import { readLocalSessions } from '@crosstalk/agent/local-sessions';
import { CrosstalkError, checkName } from '@crosstalk/core';
import { execa } from 'execa';
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
  if (local.wake.type !== 'tmux') {
    throw new CrosstalkError('INVALID_REQUEST', `${session} has no tmux pane to read (its wake target is ${local.wake.type})`, {
      hint: 'peek reads tmux panes; a Windows console is not read yet',
    });
  }
  const { stdout } = await execa('tmux', ['-S', local.wake.socket, 'capture-pane', '-p', '-J', '-t', local.wake.pane, '-S', `-${options.lines}`], {
    timeout: 10_000,
    reject: false,
    env: { TMUX: undefined, TMUX_PANE: undefined },
    stdin: 'ignore',
  }).then((r) => {
    if (r.exitCode !== 0) throw new CrosstalkError('SESSION_NOT_FOUND', `the terminal of ${session} is gone (${String(r.stderr).slice(0, 200)})`);
    return r;
  });
  const lines = screenText(String(stdout), options.lines);
  return { data: { session, host: host.config.host, pane: local.wake.pane, lines }, text: lines.join('\n') };
};
export default handler;
