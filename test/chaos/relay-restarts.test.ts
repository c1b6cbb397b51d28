// A relay restart loses no answer: replies posted the way `crosstalk reply` posts them (the CLI's
// own code, through each host's agent), while the relay is killed with SIGKILL and started again at
// random moments. Each reply waits in its agent's outbox until the relay is back and acknowledges
// it; every reply must land exactly once. Real relay and agent processes. Seeded
// (CROSSTALK_CHAOS_SEED repeats a run).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenSigner } from '@crosstalk/core/token';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentProc, enrollHost, pickSeed, Procs, RelayProc, rng, type Home } from '../harness/index.js';
import { agentPosting, type AgentPosting } from './agent-posting.js';
import { add, compare, loggedTurns, type Tally } from './check.js';
import { Faults } from './faults.js';
import { Posters, type Lane } from './posters.js';

const SEED = pickSeed(process.env.CROSSTALK_CHAOS_SEED);
const LANES = 4;
/** 4 openings and 236 replies. */
const TURNS = 240;
const RELAY_KILLS = 24;
const HEARTBEAT_MS = 600;
const HOSTS = ['alpha', 'beta'] as const;

describe(`relay restarts under replies through the agents (seed ${SEED})`, () => {
  const procs = new Procs();
  const dirs: string[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') process.stderr.write(`${procs.logs()}\n`);
    await procs.stopAll();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it(`lands each of ${TURNS - LANES} replies once through ${RELAY_KILLS} relay kills`, { timeout: 150_000 }, async () => {
    process.stdout.write(`relay-restarts seed=${SEED} (set CROSSTALK_CHAOS_SEED to repeat)\n`);
    const started = Date.now();
    const r = rng(SEED);
    const dir = await mkdtemp(join(tmpdir(), 'ct-restarts-'));
    dirs.push(dir);
    const relay = await RelayProc.start(procs, { dataDir: join(dir, 'relay'), heartbeatMs: HEARTBEAT_MS, logLevel: 'info' });
    const homes: Home[] = [];
    for (const name of HOSTS) {
      const home = await enrollHost(relay, join(dir, 'homes'), name);
      homes.push(home);
      await home.client.registerSession({ name: `s-${name}`, kind: 'other', wake: { type: 'none' } });
    }
    const tuning = { heartbeatMs: HEARTBEAT_MS, backoff: { baseMs: 50, capMs: 500 }, replayTimeoutMs: 3000, presenceIntervalMs: 5000 };
    const agents = homes.map((home) => AgentProc.start(procs, home, { tuning, logLevel: 'info' }));
    for (const a of agents) await a.connected({ logs: () => procs.logs() });

    const posting: AgentPosting[] = [];
    const through = (i: number) => {
      const p = agentPosting((homes[i] as Home).home, dir, 60_000);
      posting.push(p);
      return p;
    };
    const lanes: Lane[] = Array.from({ length: LANES }, (_, index) => ({
      index,
      sessions: index % 2 === 0 ? ['s-alpha', 's-beta'] : ['s-beta', 's-alpha'],
      clients: index % 2 === 0 ? [through(0), through(1)] : [through(1), through(0)],
    }));
    const faults = new Faults({ 'relay-kill': RELAY_KILLS, 'agent-kill': 0, reset: 0, blackhole: 0 }, TURNS, r, {
      relay,
      agents,
      proxies: [],
      logs: () => procs.logs(),
    });
    const posters = new Posters(lanes, { total: TURNS, perConversation: 1000, rng: r, gate: faults.gate });
    await Promise.all([posters.run(), faults.run(() => posters.stats.acked)]);

    const adminKey = JSON.parse(await readFile(join(relay.dataDir, 'admin-key.json'), 'utf8'));
    const adminSigner = await tokenSigner(adminKey, 'admin', relay.relayId);
    const logged = await loggedTurns(relay.url, () => adminSigner.mint());
    let tally: Tally = { delivered: 0, lost: 0, dup: 0, outOfOrder: 0 };
    for (const [id, tokens] of posters.acked) tally = add(tally, compare(tokens, logged.get(id) ?? []));
    const loggedTotal = [...logged.values()].reduce((n, l) => n + l.length, 0);
    const viaAgent = posting.reduce((n, p) => n + p.counts.agent, 0);
    const direct = posting.reduce((n, p) => n + p.counts.direct, 0);
    const p = posters.stats;
    process.stdout.write(
      `relay-restarts: acknowledged=${p.acked} logged=${loggedTotal} lost=${tally.lost} dup=${tally.dup} out_of_order=${tally.outOfOrder} ` +
        `relay_kills=${faults.done['relay-kill']} relay_starts=${relay.starts} through_agents=${viaAgent} direct=${direct} attempts=${p.attempts} ` +
        `retried=${p.retried} answered_as_duplicate=${p.duplicates} seconds=${((Date.now() - started) / 1000).toFixed(1)} seed=${SEED}\n`,
    );
    expect(p.acked).toBe(TURNS);
    expect(tally).toEqual({ delivered: TURNS, lost: 0, dup: 0, outOfOrder: 0 });
    expect(loggedTotal).toBe(TURNS);
    expect(faults.done['relay-kill']).toBeGreaterThanOrEqual(RELAY_KILLS);
    // The agents stayed up: every post went through them and waited there, none fell back.
    expect(viaAgent).toBe(p.acked);
    expect(direct).toBe(0);
  });
});
