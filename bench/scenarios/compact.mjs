// Log compaction: the restart scenario's log of 1,000,000 events (cached), with half of its
// conversations deleted (a tombstone each, as retention writes them), compacted by `compactLog`
// as `crosstalk relay compact` runs it on a stopped relay: the log's bytes before and after, and
// the time. Then the relay starts on the compacted log, to show it folds it whole.
import { createReadStream } from 'node:fs';
import { appendFile, cp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { crc32 } from 'node:zlib';
import { compactLog } from '@crosstalk/relay';
import { startMainRelay } from '../lib/relay.mjs';
import { within } from '../lib/wait.mjs';
import { cachedLog } from './restart.mjs';

/** Ids of every conversation the log opens, and its last seq and time. */
async function survey(file) {
  const ids = [];
  let seq = 0;
  let at = '';
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const opened = /"type":"conversation\.opened",(?:"at":"[^"]+",)?"conversation":\{"id":"([a-z0-9-]+)"/.exec(line);
    if (opened) ids.push(opened[1]);
    // The record's own seq and time (the relay writes seq first; `at` follows the type).
    const head = /^[0-9a-f]{8} \{"seq":(\d+),(?:"type":"[^"]+",)?"at":"([^"]+)"/.exec(line);
    if (head) {
      seq = Number(head[1]);
      at = head[2];
    }
  }
  return { ids, seq, at };
}

function record(event) {
  const json = JSON.stringify(event);
  return `${(crc32(json) >>> 0).toString(16).padStart(8, '0')} ${json}\n`;
}

export async function compact(ctx) {
  const events = ctx.quick ? 200_000 : 1_000_000;
  const { dataDir: cached, info } = await cachedLog(events, ctx.progress);
  const dataDir = join(await ctx.tempDir('compact'), 'relay');
  await cp(cached, dataDir, { recursive: true });
  await rm(join(dataDir, 'snapshot.json'), { force: true });
  const log = join(dataDir, 'events.log');
  const { ids, seq, at } = await survey(log);
  // Every other conversation deleted, as retention deletes old closed ones.
  const doomed = ids.filter((_, i) => i % 2 === 0);
  let next = seq;
  let tombstones = '';
  for (const id of doomed) tombstones += record({ seq: ++next, type: 'conversation.deleted', at, conversation: id, by: 'admin', reason: 'retention' });
  await appendFile(log, tombstones);
  ctx.progress(
    `compacting ${next.toLocaleString('en-US')} records with ${doomed.length.toLocaleString('en-US')} of ${ids.length.toLocaleString('en-US')} conversations deleted`,
  );
  const started = performance.now();
  const result = await compactLog(dataDir);
  const ms = performance.now() - started;
  if (result.bytesAfter !== (await stat(log)).size || result.newEpoch === null) throw new Error('the compacted log is not what compactLog reported');

  ctx.progress('starting the relay on the compacted log');
  const t = performance.now();
  const relay = await startMainRelay(dataDir, { nodeArgs: ctx.relayNodeArgs, logLevel: 'info' });
  let head;
  try {
    head = (await (await within(fetch(`${relay.url}/v1/health`), 30_000, 'health')).json()).head;
  } finally {
    await relay.kill();
  }
  const startMs = performance.now() - t;
  if (head !== next) throw new Error(`the relay came back with head ${head}, not ${next}`);
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  const note =
    `${events.toLocaleString('en-US')}-event log (${info.conversations.toLocaleString('en-US')} conversations) plus ${doomed.length.toLocaleString('en-US')} tombstones; ` +
    `${mb(result.bytesBefore)} → ${mb(result.bytesAfter)} (${result.purged.toLocaleString('en-US')} records emptied, seqs kept); ` +
    `a first pass searching the bytes for tombstones and openings, a second checking every record and writing it or its stub in 4 MiB writes, one fsync; the relay then started on it in ${Math.round(startMs)} ms (whole log folded)`;
  return [
    { name: `log compaction, ${events.toLocaleString('en-US')} events, half the conversations deleted`, unit: 'ms', median: ms, p95: null, target: null, note },
    {
      name: 'log compaction: bytes after / before',
      unit: '×',
      median: result.bytesAfter / result.bytesBefore,
      p95: null,
      target: null,
      note: `${result.bytesBefore.toLocaleString('en-US')} → ${result.bytesAfter.toLocaleString('en-US')} bytes`,
    },
  ];
}
