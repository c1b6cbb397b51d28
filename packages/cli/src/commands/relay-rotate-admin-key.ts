// `crosstalk relay rotate-admin-key`: the running relay replaces its admin key (in its data dir);
// the old one keeps working until the overlap ends.
import type { CommandHandler } from '../handler.js';
import { connectAdmin, dataDirOf } from '../lib/admin.js';
import type { DATA_DIR_ONLY } from '../spec/admin.js';

const handler: CommandHandler<typeof DATA_DIR_ONLY> = async (ctx, _args, options) => {
  const dataDir = dataDirOf(ctx, options.dataDir);
  const { client } = await connectAdmin(dataDir);
  const answer = await client.rotateAdminKey();
  const data = { publicKey: answer.publicKey.x, previousUntil: answer.previousUntil, dataDir };
  return {
    data,
    text: `the relay admin key was replaced (${data.publicKey}) in ${dataDir}; the old one works until ${answer.previousUntil}`,
  };
};
export default handler;
