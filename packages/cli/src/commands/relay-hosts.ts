// `crosstalk relay hosts`: enrolled hosts and whether their agents are connected.
import type { CommandHandler } from '../handler.js';
import { connectAdmin, dataDirOf } from '../lib/admin.js';
import { table } from '../lib/format.js';
import type { DATA_DIR_ONLY } from '../spec/admin.js';

const handler: CommandHandler<typeof DATA_DIR_ONLY> = async (ctx, _args, options) => {
  const { client } = await connectAdmin(dataDirOf(ctx, options.dataDir));
  const { hosts } = await client.listHosts();
  const sorted = [...hosts].sort((a, b) => a.name.localeCompare(b.name));
  const text =
    sorted.length === 0
      ? 'no hosts enrolled; invite one with `crosstalk relay invite --host <name>`'
      : table(
          ['HOST', 'STATE', 'CURSOR', 'LAST SEEN', 'ENROLLED'],
          sorted.map((h) => [
            h.name,
            h.revokedAt ? 'revoked' : h.connected ? 'connected' : 'offline',
            h.cursor === null ? '-' : String(h.cursor),
            h.lastSeenAt ?? '-',
            h.enrolledAt,
          ]),
        );
  return { data: { hosts: sorted }, text };
};
export default handler;
