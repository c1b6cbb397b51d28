// `crosstalk join --as <name>`: record this terminal (tmux pane or Windows console) and register
// the session with the relay, so its host agent can wake it.
import { joinSession, recordWakeTarget } from '@crosstalk/agent';
import { CrosstalkError, type WakeTarget } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { say } from '../output.js';
import { connectHost } from '../lib/home.js';
import type { JOIN_OPTIONS } from '../spec/sessions.js';

function describeTarget(wake: WakeTarget): string {
  switch (wake.type) {
    case 'tmux':
      return `wake-ups are typed into tmux pane ${wake.pane}${wake.agentCommand ? ` (running ${wake.agentCommand})` : ''}`;
    case 'console':
      return `wake-ups are typed into the console of process ${wake.pid}${wake.agentCommand ? ` (${wake.agentCommand})` : ''}`;
    case 'none':
      return 'no wake-ups: the session polls with `crosstalk wait <id>`';
  }
}

const handler: CommandHandler<typeof JOIN_OPTIONS> = async (ctx, _args, options) => {
  const { as: name, kind } = options;
  const host = await connectHost(ctx);
  let wake: WakeTarget = { type: 'none' };
  // A person is never typed into: `crosstalk web` shows them their turn instead.
  if (options.wake && kind !== 'human') {
    wake = await recordWakeTarget({ platform: ctx.platform, pid: ctx.pid, tmux: ctx.tmux?.env, tmuxPane: ctx.tmux?.pane });
    if (wake.type === 'none') {
      throw new CrosstalkError('INVALID_REQUEST', 'crosstalk join found no terminal to type wake-ups into: it is not running inside tmux', {
        hint: `run the coding agent in tmux and run \`crosstalk join --as ${name}\` in its pane, or pass --no-wake and poll with \`crosstalk wait <id>\``,
      });
    }
  }
  const { session, local } = await joinSession({ layout: host.layout, name, kind, wake, client: host.client });
  if ((wake.type === 'tmux' || wake.type === 'console') && wake.agentCommand === undefined) {
    // Joined from a bare shell: until a coding agent runs in it, every wake-up finds none and types nothing.
    say(
      ctx,
      `note: no coding agent runs in this ${wake.type === 'tmux' ? 'pane' : 'console'} yet; wake-ups are typed only while one does. Start it here (claude, codex, …); joining from its shell tool instead (\`crosstalk join --as ${name}\`) also records which one it is.`,
    );
  }
  const data = { session: session.name, host: session.host, kind: session.kind, wake: local.wake, joinedAt: session.joinedAt };
  const how = kind === 'human' ? 'a person: never typed into; `crosstalk web` shows when it is their turn' : describeTarget(local.wake);
  return { data, text: `joined as ${session.name} on host ${session.host}; ${how}` };
};
export default handler;
