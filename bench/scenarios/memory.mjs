// Relay memory: RSS after a full GC with 0 and then 1,000 idle agent links (each its own
// enrolled host, authenticated, welcomed and following the head), from which the cost of one
// link. The links live in their own process. Then the RSS of a relay that loaded a log of
// 1,000,000 events with 1 KiB bodies (generated once and cached, see lib/loggen.mjs).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@crosstalk/core/test-support';
import { adminOf, enrollHosts } from '../lib/hosts.mjs';
import { cachedLog } from '../lib/loggen.mjs';
import { startEntryRelay } from '../lib/relay.mjs';
import { median } from '../lib/stats.mjs';
import { startWorker } from '../lib/worker.mjs';

const LINKS = 1_000;
const READINGS = 5;
const MiB = 1024 * 1024;

async function readings(relay, count) {
  const rss = [];
  const heap = [];
  for (let i = 0; i < count; i++) {
    const m = await relay.memory();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  }
  return { rss: median(rss), heap: median(heap) };
}

/** RSS of a relay after it folded the whole of a big log (no snapshot). */
async function loadedLog(ctx) {
  const events = ctx.quick ? 200_000 : 1_000_000;
  const { dataDir, info } = await cachedLog(events, ctx.progress, { bodyBytes: 1024 });
  await rm(join(dataDir, 'snapshot.json'), { force: true });
  ctx.progress(`loading a log of ${events.toLocaleString('en-US')} events with 1 KiB bodies`);
  const started = performance.now();
  const relay = await startEntryRelay(dataDir, { snapshotEvery: 1e9, snapshotAtStop: 1e9 }, { nodeArgs: ['--expose-gc', ...ctx.relayNodeArgs] });
  const loadMs = performance.now() - started;
  try {
    ctx.logs(() => relay.logs());
    const m = await readings(relay, READINGS);
    const note = `${info.events.toLocaleString('en-US')} events (${info.conversations.toLocaleString('en-US')} conversations, ${info.turns.toLocaleString('en-US')} turns of 1,024-byte bodies, each followed by its receipt), ${(info.bytes / 1e6).toFixed(0)} MB, folded whole (no snapshot) in ${(loadMs / 1000).toFixed(1)} s; heap ${(m.heap / MiB).toFixed(1)} MiB; median of ${READINGS} readings after a full GC`;
    return { name: `relay RSS after loading a ${events.toLocaleString('en-US')}-event log with 1 KiB bodies`, rss: m.rss / MiB, note };
  } finally {
    await relay.stop();
  }
}

export async function memory(ctx) {
  const loaded = await loadedLog(ctx);
  const dataDir = await ctx.tempDir('memory');
  const relay = await startEntryRelay(dataDir, {}, { nodeArgs: ['--expose-gc', ...ctx.relayNodeArgs] });
  ctx.defer(() => relay.stop());
  ctx.logs(() => relay.logs());
  const admin = await adminOf(relay.url, dataDir, relay.relayId);
  ctx.progress(`enrolling ${LINKS} hosts`);
  const names = Array.from({ length: LINKS }, (_, i) => `idle-${String(i).padStart(4, '0')}`);
  const hosts = await enrollHosts(relay.url, admin, relay.relayId, names, 16);
  const head = (await admin.events(0, { limit: 1 })).head;
  const idle = await readings(relay, READINGS);

  const links = startWorker('links');
  ctx.defer(() => links.stop());
  ctx.logs(() => links.logs());
  ctx.progress(`connecting ${LINKS} links`);
  await links.call('connect', {
    url: relay.url,
    relayId: relay.relayId,
    hosts: hosts.map((h) => ({ name: h.name, privateJwk: h.privateJwk })),
    cursor: head,
    concurrency: 50,
  });
  await waitFor('every link to be connected', async () => (await admin.listHosts()).hosts.filter((h) => h.connected).length === LINKS, {
    timeoutMs: 60_000,
    intervalMs: 200,
  });
  const busy = await readings(relay, READINGS);
  const stats = await links.call('stats');
  if (stats.open !== LINKS) throw new Error(`${LINKS - stats.open} links closed while idle`);

  // RSS moves with the allocator (it can even shrink after the enrolment's garbage is returned),
  // so the cost of a link is the larger of what RSS and the JS heap grew by.
  const perLink = Math.max(busy.rss - idle.rss, busy.heap - idle.heap) / LINKS;
  const note = `RSS after GC: ${(idle.rss / MiB).toFixed(1)} MiB with 0 links, ${(busy.rss / MiB).toFixed(1)} MiB with ${LINKS}; heap ${(idle.heap / MiB).toFixed(1)} → ${(busy.heap / MiB).toFixed(1)} MiB (${((busy.heap - idle.heap) / LINKS / 1024).toFixed(1)} KiB a link); ${LINKS} hosts enrolled in both readings; median of ${READINGS} readings`;
  return [
    { name: loaded.name, unit: 'MiB', median: loaded.rss, p95: null, target: { op: '<=', value: 150 }, note: loaded.note },
    { name: 'relay memory per idle agent link', unit: 'KiB', median: perLink / 1024, p95: null, target: { op: '<=', value: 50 }, note },
    {
      name: `relay RSS with ${LINKS.toLocaleString('en-US')} idle agent links`,
      unit: 'MiB',
      median: busy.rss / MiB,
      p95: null,
      target: { op: '<=', value: 150 },
    },
  ];
}
