// `crosstalk relay compact`: rewrite the event log without the content of deleted conversations.
// Works on a stopped relay (the data dir lock says so otherwise), like `relay repair`.
import { CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { dataDirOf } from '../lib/admin.js';
import type { DATA_DIR_ONLY } from '../spec/admin.js';

const handler: CommandHandler<typeof DATA_DIR_ONLY> = async (ctx, _args, options) => {
  const { compactLog, readRelayInfo } = await import('@crosstalk/relay');
  const dataDir = dataDirOf(ctx, options.dataDir);
  await readRelayInfo(dataDir);
  const result = await compactLog(dataDir).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'DATA_DIR_LOCKED') {
      throw new CrosstalkError('DATA_DIR_LOCKED', `a relay is running on ${dataDir}; compaction works on a stopped relay`, {
        hint: 'stop the relay, run the compaction, start it again (or let it compact itself: `relay serve --compact-every-hours <n>`)',
      });
    }
    throw err;
  });
  const text =
    result.newEpoch === null
      ? `${result.file}: nothing to remove (${result.records} records, ${result.bytesBefore} bytes)`
      : `compacted ${result.file}: ${result.bytesBefore} → ${result.bytesAfter} bytes in ${result.ms} ms; ` +
        `${result.purged} records of ${result.conversations} deleted conversations emptied; ` +
        `new epoch ${result.newEpoch}: every agent rebuilds its copies on reconnect`;
  return { data: result, text };
};
export default handler;
