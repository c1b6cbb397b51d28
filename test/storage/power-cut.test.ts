// Power cuts: the relay takes turns over HTTP while a simulated disk drops everything written
// after the last fsync (keeping an arbitrary prefix of it). A relay started on what a cut left
// must hold every turn it acknowledged before the cut, and answer a retry of any post with its
// original result or, for a post that never made it, take it now. Many seeded runs.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InprocRelays, pickSeed, rng, type EnrolledHost, type Rng } from '../harness/index.js';
import { planLanes, runLanes, send, type Post } from './lanes.js';
import { PowerCutFs } from './power-cut-fs.js';

const SEED = pickSeed(process.env.CROSSTALK_STORAGE_SEED);
const RUNS = 8;
const CUTS_PER_RUN = 6;
const LANES = 4;
const TURNS_PER_LANE = 40;

interface Cut {
  run: number;
  image: Buffer;
  pendingBytes: number;
  /** Copies of the posts as they stood at the cut. */
  posts: Post[];
}

interface Figures {
  cuts: number;
  ackedChecked: number;
  lost: number;
  unackedSurvived: number;
  unackedDropped: number;
  pendingBytes: number;
  retriesDuplicate: number;
  retriesTaken: number;
}

/** Where a cut falls: usually inside what was never synced, sometimes at either end of it. */
function pickBytes(r: Rng): (pending: number) => number {
  return (pending) => (pending === 0 ? 0 : r.chance(0.2) ? 0 : r.chance(0.2) ? pending : r.int(0, pending));
}

describe(`power cut (seed ${SEED})`, () => {
  const dirs: string[] = [];
  const fs = new PowerCutFs((path) => dirs.some((d) => path === join(d, 'relay', 'events.log')));
  const relays = new InprocRelays();
  afterEach(async () => {
    await relays.closeAll();
    fs.uninstall();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('never loses an acknowledged turn', async () => {
    process.stdout.write(`power cut seed=${SEED} (set CROSSTALK_STORAGE_SEED to repeat)\n`);
    await fs.install();
    const figures: Figures = {
      cuts: 0,
      ackedChecked: 0,
      lost: 0,
      unackedSurvived: 0,
      unackedDropped: 0,
      pendingBytes: 0,
      retriesDuplicate: 0,
      retriesTaken: 0,
    };
    const problems: string[] = [];

    for (let run = 0; run < RUNS; run++) {
      const r = rng(SEED + run * 1013);
      const dir = await mkdtemp(join(tmpdir(), 'ct-powercut-'));
      dirs.push(dir);
      const dataDir = join(dir, 'relay');
      const relay = await relays.start({ dataDir });
      const hosts = [await relay.enroll('alpha'), await relay.enroll('beta')] as [EnrolledHost, EnrolledHost];
      await hosts[0].client.registerSession({ name: 'sa', kind: 'other', wake: { type: 'none' } });
      await hosts[1].client.registerSession({ name: 'sb', kind: 'other', wake: { type: 'none' } });
      const plan = planLanes({ sessions: ['sa', 'sb'], lanes: LANES, turnsPerLane: TURNS_PER_LANE });
      const total = LANES * TURNS_PER_LANE;
      const cutAt = new Set(Array.from({ length: CUTS_PER_RUN }, () => r.int(1, total - 1)));
      const cuts: Cut[] = [];
      let acked = 0;
      const log = join(dataDir, 'events.log');
      await runLanes(
        {
          clients: [hosts[0].client, hosts[1].client],
          sessions: ['sa', 'sb'],
          lanes: LANES,
          turnsPerLane: TURNS_PER_LANE,
          onAck: () => {
            acked++;
            if (!cutAt.has(acked)) return;
            // The cut happens now, between two instructions of the relay's process.
            const image = fs.cut(log, pickBytes(r));
            cuts.push({ run, image: image.bytes, pendingBytes: image.pendingBytes, posts: plan.flat().map((p) => ({ ...p })) });
          },
        },
        plan,
      );
      expect(fs.syncs(log)).toBeGreaterThan(0);
      await relays.close(relay);

      for (const cut of cuts) {
        figures.cuts++;
        figures.pendingBytes += cut.pendingBytes;
        await checkCut(cut, dataDir, hosts, figures, problems);
      }
    }
    expect(fs.rewrites).toEqual([]);
    process.stdout.write(
      `runs=${RUNS} cuts=${figures.cuts} acked_checked=${figures.ackedChecked} lost=${figures.lost} unacked_survived=${figures.unackedSurvived} ` +
        `unacked_dropped=${figures.unackedDropped} unsynced_bytes_at_cuts=${figures.pendingBytes} retries_duplicate=${figures.retriesDuplicate} retries_taken=${figures.retriesTaken}\n`,
    );
    expect(problems).toEqual([]);
    expect(figures.lost).toBe(0);
    expect(figures.ackedChecked).toBeGreaterThan(RUNS * CUTS_PER_RUN);
  });

  /** Starts a relay on what the cut left and checks every post against it. */
  async function checkCut(cut: Cut, source: string, hosts: [EnrolledHost, EnrolledHost], figures: Figures, problems: string[]): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'ct-aftercut-'));
    dirs.push(dir);
    const dataDir = join(dir, 'relay');
    await mkdir(dataDir, { mode: 0o700 });
    await copyFile(join(source, 'relay.json'), join(dataDir, 'relay.json'));
    await copyFile(join(source, 'admin-key.json'), join(dataDir, 'admin-key.json'));
    await writeFile(join(dataDir, 'events.log'), cut.image);
    let relay: Awaited<ReturnType<typeof relays.start>>;
    try {
      relay = await relays.start({ dataDir });
    } catch (err) {
      problems.push(`run ${cut.run}: the relay did not start after a cut: ${String(err)}`);
      return;
    }
    try {
      const clients: [(typeof hosts)[0]['client'], (typeof hosts)[1]['client']] = [await relay.clientFor(hosts[0]), await relay.clientFor(hosts[1])];
      const byLane = new Map<number, Post[]>();
      for (const p of cut.posts) byLane.set(p.lane, [...(byLane.get(p.lane) ?? []), p]);
      for (const posts of byLane.values()) {
        const conversationId = posts[0]?.conversation;
        const turns = conversationId
          ? await relay.admin.getConversation(conversationId).then(
              (a) => a.conversation.turns,
              () => [],
            )
          : [];
        for (const p of posts) {
          const turn = turns[p.n - 1];
          const holds = turn !== undefined && turn.body === p.body && turn.author === p.as;
          if (p.state === 'acked') {
            figures.ackedChecked++;
            if (!holds) {
              figures.lost++;
              problems.push(`run ${cut.run}: acknowledged turn ${p.n} of lane ${p.lane} is ${turn ? 'different' : 'missing'} after the cut`);
            }
          } else if (p.state === 'in-flight') {
            if (holds) figures.unackedSurvived++;
            else figures.unackedDropped++;
          }
        }
        // The client retries what it was waiting for, with the same key: the original answer, or taken now.
        const flying = posts.find((p) => p.state === 'in-flight');
        const lastAcked = [...posts].reverse().find((p) => p.state === 'acked');
        for (const p of [flying, lastAcked]) {
          if (!p) continue;
          const conversation = p.n === 1 ? undefined : p.conversation;
          const answer = await send({ clients, sessions: ['sa', 'sb'] }, p, conversation).catch((err: unknown) => err as Error);
          if (answer instanceof Error) {
            problems.push(`run ${cut.run}: retrying turn ${p.n} of lane ${p.lane} (${p.state}) failed: ${answer.message}`);
            continue;
          }
          if (answer.n !== p.n || answer.body !== p.body) problems.push(`run ${cut.run}: retry of turn ${p.n} of lane ${p.lane} answered turn ${answer.n}`);
          if (p.state === 'acked' && !answer.duplicate) problems.push(`run ${cut.run}: retry of acknowledged turn ${p.n} of lane ${p.lane} was taken again`);
          if (answer.duplicate) figures.retriesDuplicate++;
          else figures.retriesTaken++;
        }
      }
    } finally {
      await relays.close(relay);
    }
  }
});
