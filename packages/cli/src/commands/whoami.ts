// `crosstalk whoami`: this host, its relay, and the session joined in this pane (or --as).
import { readLocalSessions } from '@crosstalk/agent/local-sessions';
import type { CommandHandler } from '../handler.js';
import { connectHost } from '../lib/home.js';
import { sessionsInPane } from '../lib/identity.js';
import type { AS_ONLY } from '../spec/sessions.js';

const handler: CommandHandler<typeof AS_ONLY> = async (ctx, _args, options) => {
  const { layout, config } = await connectHost(ctx);
  const local = await readLocalSessions(layout.sessions);
  const wanted = options.as;
  const session = wanted === undefined ? sessionsInPane(local, ctx.tmux)[0] : local.find((s) => s.name === wanted);
  const data = {
    home: layout.home,
    host: config.host,
    relayUrl: config.relayUrl,
    relayId: config.relayId,
    conversationsDir: config.conversationsDir,
    session: session ? { name: session.name, kind: session.kind, wake: session.wake, joinedAt: session.joinedAt } : null,
  };
  const where =
    session?.wake.type === 'tmux' ? `tmux pane ${session.wake.pane}` : session?.wake.type === 'console' ? `console of process ${session.wake.pid}` : null;
  const who = session
    ? `session ${session.name} (${session.kind}); ${where ? `wake-ups go to ${where}` : 'no wake-ups (it polls with `crosstalk wait`)'}`
    : wanted !== undefined
      ? `session ${wanted} is not joined on this host`
      : 'no session joined here: run `crosstalk join --as <name>` in the pane of a coding agent, or pass --as';
  const text = [`${who}`, `host ${config.host}, relay ${config.relayUrl}`, `copies in ${config.conversationsDir}`].join('\n');
  return { data, text };
};
export default handler;
