// `crosstalk sessions`: every session on the relay, its host, whether it is online, and what it is
// doing (from its coding agent's hooks) since when. With --spawned: the spawned sessions and every
// spawn and kill request, from the audit log the agent keeps in the copies' directory.
import type { CommandHandler } from '../handler.js';
import { age, table } from '../lib/format.js';
import { connectHost } from '../lib/home.js';
import type { SESSIONS_OPTIONS } from '../spec/sessions.js';

const handler: CommandHandler<typeof SESSIONS_OPTIONS> = async (ctx, _args, options) => {
  const { client, config } = await connectHost(ctx);
  const { sessions } = await client.listSessions();
  const sorted = [...sessions].sort((a, b) => a.name.localeCompare(b.name));
  if (options.spawned) {
    const { readAudit } = await import('@crosstalk/agent/spawn-audit');
    const { auditRows, spawnedSessions } = await import('../lib/spawn-audit.js');
    const requests = auditRows(await readAudit(config.conversationsDir));
    const stateOf = (name: string) => sorted.find((s) => s.name === name)?.state ?? 'gone';
    const spawned = spawnedSessions(requests).map((r) => ({
      session: r.session,
      host: r.host,
      kind: r.kind,
      by: r.by,
      cwd: r.cwd,
      startedAt: r.answeredAt,
      state: stateOf(r.session),
    }));
    const text = [
      spawned.length === 0
        ? 'no spawned sessions'
        : table(
            ['SESSION', 'HOST', 'KIND', 'BY', 'STATE', 'STARTED', 'CWD'],
            spawned.map((s) => [s.session, s.host, s.kind ?? '-', s.by, s.state, s.startedAt ?? '-', s.cwd ?? '-']),
          ),
      '',
      requests.length === 0
        ? 'no spawn or kill requests'
        : table(
            ['REQUESTED', 'ACTION', 'SESSION', 'HOST', 'BY', 'OUTCOME', 'RULE/REASON'],
            requests.map((r) => [r.requestedAt, r.action, r.session, r.host, r.by, r.outcome, r.reason || '-']),
          ),
    ].join('\n');
    return { data: { sessions: sorted, spawned, requests }, text };
  }
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
  return { data: { sessions: sorted, spawned: null, requests: null }, text };
};
export default handler;
