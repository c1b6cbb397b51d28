// Chaos on loopback: a relay and three host agents as real processes, a fault proxy of ours
// between each agent and the relay, and thousands of turns posted across five conversations while
// the relay is killed (-9) and restarted, agents are killed and restarted, connections are reset
// and blackholed long enough for the heartbeats to act. Clients retry with the same idempotency
// keys. Two of the five lanes post the way `crosstalk reply` does, through the hosts' agents (with
// its fall-back to HTTP when an agent is down); the others post over HTTP. Afterwards every host's copies must hold exactly the relay's log: nothing lost, nothing
// twice, nothing out of order. Seeded (CROSSTALK_CHAOS_SEED); CHAOS_LONG=1 posts 50,000 turns.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostKey } from '@crosstalk/agent';
import { createRelayClient, type RelayClient } from '@crosstalk/client';
import { waitFor } from '@crosstalk/core/test-support';
import { tokenSigner } from '@crosstalk/core/token';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentProc, enrollHost, FaultProxy, pickSeed, Procs, RelayProc, rng, type Home } from '../harness/index.js';
import { add, checkCopies, compare, loggedTurns, type Tally } from './check.js';
import { Faults, type FaultCounts } from './faults.js';
import { agentPosting, type AgentPosting } from './agent-posting.js';
import { Posters, type Lane } from './posters.js';

const LONG = process.env.CHAOS_LONG === '1';
const SEED = pickSeed(process.env.CROSSTALK_CHAOS_SEED);
const TURNS = LONG ? 50_000 : 2_000;
const FAULTS: FaultCounts = LONG
  ? { 'relay-kill': 100, 'agent-kill': 50, reset: 250, blackhole: 25 }
  : { 'relay-kill': 20, 'agent-kill': 10, reset: 50, blackhole: 5 };
/** Relay ping interval and agent silence limit: short, so a blackhole is noticed in a second or two. */
const HEARTBEAT_MS = 600;
const LATENCY_MS: [number, number] = [0, 4];
const HOSTS = ['alpha', 'beta', 'gamma'] as const;
/** Lanes that post through the hosts' agents. */
const AGENT_LANES = new Set([1, 3]);
const LANE_SESSIONS: Array<[number, number]> = [
  [0, 1],
  [1, 2],
  [2, 0],
  [0, 1],
  [1, 2],
];

describe(`chaos (seed ${SEED})`, () => {
  const procs = new Procs();
  const proxies: FaultProxy[] = [];
  const dirs: string[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') process.stderr.write(`${procs.logs()}\n`);
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
    await procs.stopAll();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it(`keeps every host's copies exact through ${TURNS} turns of faults`, { timeout: LONG ? 6 * 3600_000 : 175_000 }, async () => {
    process.stdout.write(`chaos seed=${SEED} turns=${TURNS} (set CROSSTALK_CHAOS_SEED to repeat, CHAOS_LONG=1 for 50,000 turns)\n`);
    const r = rng(SEED);
    const dir = await mkdtemp(join(tmpdir(), 'ct-chaos-'));
    dirs.push(dir);
    const relay = await RelayProc.start(procs, { dataDir: join(dir, 'relay'), heartbeatMs: HEARTBEAT_MS, logLevel: 'info' });
    const logs = () => `${procs.logs()}\n--- proxies ---\n${proxies.map((p, i) => `${HOSTS[i]}: ${JSON.stringify(p.stats)} live=${p.live}`).join('\n')}`;

    const homes: Home[] = [];
    const posting: RelayClient[] = [];
    for (const [i, name] of HOSTS.entries()) {
      const proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: relay.port }, latencyMs: LATENCY_MS, random: rng(SEED + i + 1).next });
      proxies.push(proxy);
      const home = await enrollHost(relay, join(dir, 'homes'), name, { relayUrl: proxy.url });
      homes.push(home);
      // Posters talk to the relay directly; only the agents' links go through the proxies.
      const signer = await tokenSigner(await readHostKey(home.layout.hostKey), name, relay.relayId);
      posting.push(createRelayClient({ relayUrl: relay.url, signer, timeoutMs: 15_000 }));
      await posting[i]!.registerSession({ name: `s-${name}`, kind: 'other', wake: { type: 'none' } });
    }
    const tuning = { heartbeatMs: HEARTBEAT_MS, backoff: { baseMs: 50, capMs: 1000 }, replayTimeoutMs: 3000, presenceIntervalMs: 5000 };
    const agents = homes.map((home) => AgentProc.start(procs, home, { tuning, logLevel: 'info' }));
    for (const a of agents) await a.connected({ logs });

    const viaAgents: AgentPosting[] = [];
    const throughAgent = (i: number) => {
      const p = agentPosting((homes[i] as Home).home, dir, 20_000);
      viaAgents.push(p);
      return p;
    };
    const lanes: Lane[] = LANE_SESSIONS.map(([x, y], index) => ({
      index,
      sessions: [`s-${HOSTS[x]}`, `s-${HOSTS[y]}`],
      clients: AGENT_LANES.has(index) ? [throughAgent(x), throughAgent(y)] : [posting[x] as RelayClient, posting[y] as RelayClient],
    }));
    const faults = new Faults(FAULTS, TURNS, r, { relay, agents, proxies, logs });
    const posters = new Posters(lanes, { total: TURNS, perConversation: LONG ? 900 : 1000, rng: r, gate: faults.gate });
    const started = Date.now();
    await Promise.all([posters.run(), faults.run(() => posters.stats.acked)]);
    const postedMs = Date.now() - started;

    // What the relay holds against what it acknowledged: each acknowledged turn once, in order.
    const admin = await relay.adminClient();
    const adminSigner = await tokenSigner(JSON.parse(await readFile(join(relay.dataDir, 'admin-key.json'), 'utf8')), 'admin', relay.relayId);
    const logged = await loggedTurns(relay.url, () => adminSigner.mint());
    let atRelay: Tally = { delivered: 0, lost: 0, dup: 0, outOfOrder: 0 };
    for (const [id, tokens] of posters.acked) atRelay = add(atRelay, compare(tokens, logged.get(id) ?? []));
    const loggedTotal = [...logged.values()].reduce((n, l) => n + l.length, 0);

    // Quiet now: every agent catches up, and its copies become the relay's rendering, byte for byte.
    const rendered = new Map<string, string>();
    for (const id of logged.keys()) rendered.set(id, await admin.getMarkdown(id));
    for (const home of homes) {
      await waitFor(
        `${home.name}'s copies to match the relay`,
        async () => {
          for (const [id, text] of rendered)
            if ((await readFile(join(home.config.conversationsDir, `${id}.md`), 'utf8').catch(() => '')) !== text) return false;
          return true;
        },
        { timeoutMs: 90_000, intervalMs: 200, logs },
      );
    }
    const tallies = new Map<string, Tally>();
    for (const home of homes) tallies.set(home.name, await checkCopies(home.config.conversationsDir, logged));

    for (const [name, t] of tallies) process.stdout.write(`${name}: delivered=${t.delivered} lost=${t.lost} dup=${t.dup} out_of_order=${t.outOfOrder}\n`);
    const d = faults.done;
    const p = posters.stats;
    process.stdout.write(
      `relay: acknowledged=${p.acked} logged=${loggedTotal} lost=${atRelay.lost} dup=${atRelay.dup} out_of_order=${atRelay.outOfOrder}\n` +
        `faults: relay_kills=${d['relay-kill']} agent_kills=${d['agent-kill']} resets=${d.reset} (connections cut ${d.connectionsCut}) ` +
        `blackholes=${d.blackhole} (connections both ends dropped on their own ${d.heartbeatDrops}: links by heartbeat, idle HTTP by idle timeout) latency=${LATENCY_MS[0]}-${LATENCY_MS[1]}ms heartbeat=${HEARTBEAT_MS}ms ` +
        `turns=${TURNS} conversations=${p.conversations} attempts=${p.attempts} retried=${p.retried} answered_as_duplicate=${p.duplicates} ` +
        `posted_through_agents=${viaAgents.reduce((n, p) => n + p.counts.agent, 0)} (fell_back_to_http=${viaAgents.reduce((n, p) => n + p.counts.direct, 0)}) ` +
        `relay_starts=${relay.starts} agent_starts=${agents.map((a) => a.starts).join('/')} posting_s=${(postedMs / 1000).toFixed(1)} fault_s=${JSON.stringify(faults.spentMs)} seed=${SEED}\n`,
    );

    expect(p.acked).toBe(TURNS);
    expect(viaAgents.reduce((n, a) => n + a.counts.agent, 0)).toBeGreaterThan(TURNS / 5);
    expect(atRelay).toEqual({ delivered: TURNS, lost: 0, dup: 0, outOfOrder: 0 });
    expect(loggedTotal).toBe(TURNS);
    for (const [name, t] of tallies) expect({ name, ...t }).toEqual({ name, delivered: TURNS, lost: 0, dup: 0, outOfOrder: 0 });
    expect(d['relay-kill']).toBeGreaterThanOrEqual(FAULTS['relay-kill']);
    expect(d['agent-kill']).toBeGreaterThanOrEqual(FAULTS['agent-kill']);
    expect(d.reset).toBeGreaterThanOrEqual(FAULTS.reset);
    expect(d.connectionsCut).toBeGreaterThanOrEqual(FAULTS.reset);
    expect(d.blackhole).toBeGreaterThanOrEqual(FAULTS.blackhole);
    expect(d.heartbeatDrops).toBeGreaterThanOrEqual(FAULTS.blackhole);
  });
});
