// `crosstalk relay compact`: rewrite the event log without the content of deleted conversations.
// A stopped relay's log is compacted here, under the data dir lock; a running relay is asked to do
// it (signed with the admin key from the data dir): it restarts in place for it, and this waits
// for the outcome.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RelayClient } from '@crosstalk/client';
import { CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { connectAdmin, dataDirOf } from '../lib/admin.js';
import { say } from '../output.js';
import type { DATA_DIR_ONLY } from '../spec/admin.js';

type Result = Awaited<ReturnType<typeof import('@crosstalk/relay').compactLog>>;

/** How long a running relay may take to compact and come back. */
const WAIT_MS = 10 * 60_000;
const POLL_MS = 200;

async function compactRunning(ctx: Parameters<CommandHandler<typeof DATA_DIR_ONLY>>[0], dataDir: string): Promise<Result> {
  const { client } = await connectAdmin(dataDir);
  const before = (await client.compactionStatus()).last?.at ?? null;
  const asked = await client.requestCompaction();
  if (!asked.scheduled && !/under way/.test(asked.reason)) {
    const file = join(dataDir, 'events.log');
    const bytes = (await stat(file)).size;
    const records = (await client.health()).head;
    return { file, bytesBefore: bytes, bytesAfter: bytes, records, purged: 0, conversations: 0, newEpoch: null, ms: 0 };
  }
  say(ctx, `the relay restarts to compact its log (${asked.reason}); waiting for it`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const status = await poll(client);
    const last = status?.last;
    if (status && !status.running && last && last.at !== before) {
      if (last.error !== null || last.result === null)
        throw new CrosstalkError('INTERNAL', `the relay could not compact its log: ${last.error ?? 'no result'}`);
      return last.result;
    }
    if (Date.now() > deadline)
      throw new CrosstalkError('RELAY_UNREACHABLE', 'the relay did not come back from compacting its log in time', { hint: 'check the relay log' });
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The compaction status, or null while the relay is down for it. */
async function poll(client: RelayClient) {
  try {
    return await client.compactionStatus();
  } catch (err) {
    if (err instanceof CrosstalkError && (err.code === 'RELAY_UNREACHABLE' || err.code === 'SHUTTING_DOWN')) return null;
    throw err;
  }
}

const handler: CommandHandler<typeof DATA_DIR_ONLY> = async (ctx, _args, options) => {
  const { compactLog, readRelayInfo } = await import('@crosstalk/relay');
  const dataDir = dataDirOf(ctx, options.dataDir);
  await readRelayInfo(dataDir);
  const outcome = await compactLog(dataDir).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'DATA_DIR_LOCKED') return compactRunning(ctx, dataDir);
    throw err;
  });
  const text =
    outcome.newEpoch === null
      ? `${outcome.file}: nothing to remove (${outcome.records} records, ${outcome.bytesBefore} bytes)`
      : `compacted ${outcome.file}: ${outcome.bytesBefore} → ${outcome.bytesAfter} bytes in ${outcome.ms} ms; ` +
        `${outcome.purged} records of ${outcome.conversations} deleted conversations emptied; ` +
        `new epoch ${outcome.newEpoch}: every agent rebuilds its copies on reconnect`;
  return { data: outcome, text };
};
export default handler;
