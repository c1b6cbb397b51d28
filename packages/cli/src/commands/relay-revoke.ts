// `crosstalk relay revoke <host>`: the host's key stops working and its links close at once.
import { checkName } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { connectAdmin, dataDirOf } from '../lib/admin.js';
import type { DATA_DIR_ONLY } from '../spec/admin.js';

const handler: CommandHandler<typeof DATA_DIR_ONLY> = async (ctx, args, options) => {
  const host = checkName('host', args[0]);
  const { client } = await connectAdmin(dataDirOf(ctx, options.dataDir));
  await client.revokeHost(host);
  return { data: { host, revoked: true }, text: `revoked ${host}; to let it back in, invite it again (\`crosstalk relay invite --host ${host}\`)` };
};
export default handler;
