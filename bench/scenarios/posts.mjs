// Durable posts per second: 1, 10 and 100 concurrent posters against one relay (fsync on), with
// 10 agent links connected and following every event. The posters run in their own process
// with tokens minted before each run; the links in another.
import { cpuMeter, describeCpu } from '../lib/cpu.mjs';
import { median, p95, windowRates } from '../lib/stats.mjs';
import { prepareLoad } from '../lib/load.mjs';
import { startWorker } from '../lib/worker.mjs';

const LEVELS = [1, 10, 100];
const AGENTS = 10;
/** Ceiling on posts per second used to size the token budget. */
const MAX_RATE = 12_000;
const WINDOW_MS = 250;

export async function posts(ctx) {
  const durationMs = ctx.quick ? 1_500 : 4_000;
  const warmupMs = ctx.quick ? 300 : 700;
  const load = await prepareLoad(ctx, { name: 'posts', hosts: AGENTS, slots: Math.max(...LEVELS) });
  const links = startWorker('links');
  ctx.defer(() => links.stop());
  ctx.logs(() => links.logs());
  await links.call('connect', {
    url: load.relay.url,
    relayId: load.relay.relayId,
    hosts: load.hosts.map((h) => ({ name: h.name, privateJwk: h.privateJwk })),
    cursor: load.head,
  });
  const poster = startWorker('poster');
  ctx.defer(() => poster.stop());
  ctx.logs(() => poster.logs());

  const figures = [];
  for (const level of LEVELS) {
    const slots = load.slots.slice(0, level);
    await poster.call('setup', { url: load.relay.url, relayId: load.relay.relayId, slots, bodyBytes: 500 });
    const perSlot = Math.ceil((Math.min(MAX_RATE, level * 4_000) * (durationMs + 500)) / 1000 / level);
    await poster.call('mint', { perSlot });
    const meter = cpuMeter({ relay: load.relay.child.pid, posters: poster.pid, links: links.pid });
    const result = await poster.call('run', { durationMs, maxPosts: perSlot * level }, durationMs + 60_000);
    const cpu = meter.stop();
    if (result.completions.length === 0) throw new Error(`no post succeeded at ${level} posters: ${result.firstError}`);
    const rates = windowRates(result.completions, warmupMs, result.elapsedMs, WINDOW_MS);
    const stats = await links.call('stats');
    figures.push({
      name: `durable posts/s, ${level} concurrent poster${level === 1 ? '' : 's'}`,
      unit: 'posts/s',
      median: median(rates),
      p95: null,
      target: level === 100 ? { op: '>=', value: 5_000 } : null,
      note: `post latency median ${median(result.latencies).toFixed(2)} ms, p95 ${p95(result.latencies).toFixed(2)} ms; ${result.completions.length} posts, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError.slice(0, 120)})` : ''}; ${AGENTS} agent links at seq ${stats.minSeq}–${stats.maxSeq}; ${describeCpu(cpu)}`,
    });
    // The next level continues each conversation where this one left it.
    for (const [i, turn] of result.turns.entries()) slots[i].turn = turn;
  }
  return figures;
}
