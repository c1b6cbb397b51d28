// `crosstalk sessions`: every session on the relay, its host, whether it is online, and what it is
// doing (from its coding agent's hooks) since when.
import type { CommandHandler } from '../handler.js';
import { age, table } from '../lib/format.js';
import { connectHost } from '../lib/home.js';

const handler: CommandHandler = async (ctx) => {
  const { client } = await connectHost(ctx);
  const { sessions } = await client.listSessions();
  const sorted = [...sessions].sort((a, b) => a.name.localeCompare(b.name));
  const online = (o: boolean | undefined) => (o === undefined ? '?' : o ? 'yes' : 'no');
  const now = Date.now();
  const text =
    sorted.length === 0
      ? 'no sessions; a coding-agent session joins with `crosstalk join --as <name>`'
      : table(
          ['SESSION', 'HOST', 'KIND', 'WAKE', 'ONLINE', 'STATE', 'SINCE', 'JOINED'],
          sorted.map((s) => [
            s.name,
            s.host,
            s.kind,
            s.wake.type,
            online(s.online),
            s.state ?? '?',
            s.stateSince && s.state !== 'unknown' ? age(s.stateSince, now) : '-',
            s.joinedAt,
          ]),
        );
  return { data: { sessions: sorted }, text };
};
export default handler;
