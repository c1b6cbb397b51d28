// `crosstalk relay repair`: cut a damaged event log at its first damaged record. The relay must
// be stopped (the data dir lock says so otherwise).
import { CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { dataDirOf } from '../lib/admin.js';
import type { DATA_DIR_ONLY } from '../spec/admin.js';

const handler: CommandHandler<typeof DATA_DIR_ONLY> = async (ctx, _args, options) => {
  const { readRelayInfo, repairLog } = await import('@crosstalk/relay');
  const dataDir = dataDirOf(ctx, options.dataDir);
  await readRelayInfo(dataDir);
  const result = await repairLog(dataDir).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'DATA_DIR_LOCKED') {
      throw new CrosstalkError('DATA_DIR_LOCKED', `a relay is running on ${dataDir}; repair works on a stopped relay`, {
        hint: 'stop the relay first, then run the repair again',
      });
    }
    throw err;
  });
  const text =
    result.truncatedAt === null
      ? `${result.file} is sound: ${result.records} records up to seq ${result.lastSeq}; nothing to do`
      : `cut ${result.file} at byte ${result.truncatedAt} (${result.removedBytes} bytes removed); kept ${result.records} records up to seq ${result.lastSeq}` +
        (result.newEpoch ? `; new epoch ${result.newEpoch}: every agent rebuilds its copies on reconnect` : '');
  return { data: result, text };
};
export default handler;
