// Fan-out: events delivered per second to 200 agent links (light clients in their own process,
// speaking the real protocol and auth), while 10 posters in another process post turns as fast
// as the relay takes them; and the delay from a turn's post to its arrival on a link, measured
// on 10 of the links from the send time stamped in each turn body.
import { cpuMeter, describeCpu } from '../lib/cpu.mjs';
import { prepareLoad } from '../lib/load.mjs';
import { median, p95 } from '../lib/stats.mjs';
import { startWorker } from '../lib/worker.mjs';

const LINKS = 200;
const MEASURED = 10;
const POSTERS = 10;
const WINDOW_MS = 250;

export async function fanout(ctx) {
  const durationMs = ctx.quick ? 2_000 : 5_000;
  const warmupMs = ctx.quick ? 400 : 1_000;
  const load = await prepareLoad(ctx, { name: 'fanout', hosts: LINKS, slots: POSTERS });
  const links = startWorker('links');
  ctx.defer(() => links.stop());
  ctx.logs(() => links.logs());
  ctx.progress(`connecting ${LINKS} links`);
  await links.call('connect', {
    url: load.relay.url,
    relayId: load.relay.relayId,
    hosts: load.hosts.map((h) => ({ name: h.name, privateJwk: h.privateJwk })),
    cursor: load.head,
    measure: MEASURED,
  });
  const poster = startWorker('poster');
  ctx.defer(() => poster.stop());
  ctx.logs(() => poster.logs());
  await poster.call('setup', { url: load.relay.url, relayId: load.relay.relayId, slots: load.slots, bodyBytes: 500 });
  const perSlot = Math.ceil((6_000 * (durationMs + 500)) / 1000 / POSTERS);
  await poster.call('mint', { perSlot });

  await links.call('reset', { sampleMs: WINDOW_MS });
  const meter = cpuMeter({ relay: load.relay.child.pid, posters: poster.pid, links: links.pid });
  const result = await poster.call('run', { durationMs, maxPosts: perSlot * POSTERS }, durationMs + 60_000);
  const cpu = meter.stop();
  const stats = await links.call('stats');
  // Windows while posting went on, after the warm-up.
  const rates = [];
  for (let i = 1; i < stats.series.length; i++) {
    const [t, n] = stats.series[i];
    const [t0, n0] = stats.series[i - 1];
    if (t0 >= warmupMs && t <= result.elapsedMs) rates.push(((n - n0) * 1000) / (t - t0));
  }
  if (rates.length === 0) throw new Error('no delivery windows were measured');
  const posted = result.completions.length;
  const note = `${posted} turns posted by ${POSTERS} posters (${Math.round((posted * 1000) / result.elapsedMs)}/s), each delivered to ${LINKS} links (${stats.open} open at the end) in ${Math.round(stats.frames / LINKS)} frames per link; post latency median ${median(result.latencies).toFixed(1)} ms; ${describeCpu(cpu)}`;
  return [
    { name: `fan-out deliveries/s to ${LINKS} agent links`, unit: 'events/s', median: median(rates), p95: null, target: { op: '>=', value: 100_000 }, note },
    {
      name: `fan-out delivery delay (post → link) at that load`,
      unit: 'ms',
      median: median(stats.delays),
      p95: p95(stats.delays),
      target: null,
      note: `${stats.delays.length} deliveries timed on ${MEASURED} links; includes the post's own fsync`,
    },
  ];
}
