// Relay memory: RSS after a full GC with 0 and then 1,000 idle agent links (each its own
// enrolled host, authenticated, welcomed and following the head), from which the cost of one
// link. The links live in their own process.
import { waitFor } from '@crosstalk/core/test-support';
import { adminOf, enrollHosts } from '../lib/hosts.mjs';
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

export async function memory(ctx) {
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
