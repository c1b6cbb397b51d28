// Durable posts per second: 1, 10 and 100 concurrent posters against one relay (fsync on), with
// 10 agent links connected and following every event. The posters run in their own process
// with tokens minted before each run; the links in another. Then 100 posters through two host
// agents (real agent processes on real homes), each post asked of its agent over the local
// endpoint as `crosstalk reply` asks it, kept in the agent's outbox and forwarded over its link.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { endpointPath, endpointSecretPath } from '@crosstalk/core/endpoint';
import { waitFor } from '@crosstalk/core/test-support';
import { cpuMeter, describeCpu } from '../lib/cpu.mjs';
import { enrolledHome, runAgent } from '../lib/homes.mjs';
import { adminOf } from '../lib/hosts.mjs';
import { pool } from '../lib/pool.mjs';
import { median, p95, windowRates } from '../lib/stats.mjs';
import { prepareLoad } from '../lib/load.mjs';
import { startWorker } from '../lib/worker.mjs';

const LEVELS = [1, 10, 100];
const AGENTS = 10;
/** Host agents the posters go through, and posters. */
const POSTING_AGENTS = 2;
const AGENT_POSTERS = 100;
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
      note: `post latency median ${median(result.latencies).toFixed(2)} ms, p95 ${p95(result.latencies).toFixed(2)} ms; ${result.completions.length} posts, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError.slice(0, 120)})` : ''}; ${AGENTS} agent links at seq ${stats.minSeq}–${stats.maxSeq}; ${describeCpu(cpu, meter.kernel())}`,
    });
    // The next level continues each conversation where this one left it.
    for (const [i, turn] of result.turns.entries()) slots[i].turn = turn;
  }
  await poster.stop();
  figures.push(await throughAgents(ctx, load, links, { durationMs, warmupMs }));
  return figures;
}

/** 100 posters through host agents: the same relay, the same 10 links following. */
async function throughAgents(ctx, load, links, { durationMs, warmupMs }) {
  const dir = await ctx.tempDir('posts-agents');
  const admin = await adminOf(load.relay.url, load.dataDir, load.relay.relayId);
  const homes = [];
  for (let i = 0; i < POSTING_AGENTS; i++) homes.push(await enrolledHome(dir, `via-agent-${i}`, load.relay.url, admin));
  const agents = homes.map((home) => runAgent(home, ctx.env, 'warn', ctx.relayNodeArgs));
  for (const a of agents) {
    ctx.defer(() => a.stop());
    ctx.logs(() => a.logs());
  }
  const names = new Set(homes.map((h) => h.name));
  await waitFor(
    'the posting agents to link',
    async () => (await admin.listHosts()).hosts.filter((h) => names.has(h.name) && h.connected).length === homes.length,
    {
      timeoutMs: 60_000,
      intervalMs: 50,
    },
  );
  const slots = await pool(
    Array.from({ length: AGENT_POSTERS }, (_, i) => i),
    16,
    async (i) => {
      const home = homes[i % homes.length];
      const as = `via-poster-${i}`;
      const peer = `via-peer-${i}`;
      for (const session of [as, peer]) await home.client.registerSession({ name: session, kind: 'other', wake: { type: 'none' } });
      const opened = await home.client.openConversation({
        as,
        topic: `through the agent ${i}`,
        with: [peer],
        maxTurns: 1000,
        body: 'opening',
        idempotencyKey: `via-${i}`,
      });
      return {
        as,
        conversation: opened.conversation.id,
        turn: 1,
        endpoint: endpointPath(home.layout.home, process.platform, tmpdir(), process.getuid?.() ?? 0),
        secret: await readFile(endpointSecretPath(home.layout.home), 'utf8'),
      };
    },
  );
  const poster = startWorker('agent-poster');
  ctx.defer(() => poster.stop());
  ctx.logs(() => poster.logs());
  await poster.call('setup', { slots, bodyBytes: 500 }, 60_000);
  const meter = cpuMeter({
    relay: load.relay.child.pid,
    ...Object.fromEntries(agents.map((a, i) => [`agent${i}`, a.pid])),
    posters: poster.pid,
    links: links.pid,
  });
  const result = await poster.call('run', { durationMs }, durationMs + 60_000);
  const cpu = meter.stop();
  if (result.completions.length === 0) throw new Error(`no post through the agents succeeded: ${result.firstError}`);
  const rates = windowRates(result.completions, warmupMs, result.elapsedMs, WINDOW_MS);
  const stats = await links.call('stats');
  return {
    name: `durable posts/s, ${AGENT_POSTERS} concurrent posters, through host agents`,
    unit: 'posts/s',
    median: median(rates),
    p95: null,
    target: { op: '>=', value: 10_000 },
    note: `${POSTING_AGENTS} agents, each post kept in the agent's outbox (fsync) and acknowledged by the relay after its own fsync; post latency median ${median(result.latencies).toFixed(2)} ms, p95 ${p95(result.latencies).toFixed(2)} ms; ${result.completions.length} posts, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError.slice(0, 120)})` : ''}; ${AGENTS} agent links at seq ${stats.minSeq}–${stats.maxSeq}; ${describeCpu(cpu, meter.kernel())}`,
  };
}
