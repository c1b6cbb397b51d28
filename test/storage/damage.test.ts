// A whole relay on a damaged data dir. The log is written through the HTTP API (turns, openings,
// moderation, a close, receipts, sessions) and the relay stops cleanly, leaving a snapshot of its
// state; then copies of the log are cut short at random places or hit by single-bit flips, half
// of them with the snapshot beside them, and copies of the snapshot are hit by bit flips. A cut
// must start into exactly the complete records before it (a torn tail is a write never
// acknowledged). A flip in the log must either change nothing that was acknowledged or stop the
// relay with LOG_CORRUPT naming the file and the damaged record's offset; `repairLog` then keeps
// exactly the records before the damage and gives the relay a new epoch. A damaged snapshot is
// never trusted. Whatever starts holds the state that folding its log gives, conversation by
// conversation.
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEvent, CrosstalkError, emptyState, type RelayEvent } from '@crosstalk/core';
import { repairLog } from '@crosstalk/relay';
import { afterEach, describe, expect, it } from 'vitest';
import { InprocRelays, pickSeed, rng, type EnrolledHost, type InprocRelay } from '../harness/index.js';
import { planLanes, runLanes } from './lanes.js';

const SEED = pickSeed(process.env.CROSSTALK_STORAGE_SEED);
const CUTS = 80;
const FLIPS = 80;
const SNAPSHOT_FLIPS = 40;

type Started = InprocRelay;

/** Differences between what the relay serves and what folding `events` gives. */
async function stateProblems(relay: Started, events: string[]): Promise<string[]> {
  const state = emptyState();
  for (const e of events) applyEvent(state, JSON.parse(e) as RelayEvent);
  const problems: string[] = [];
  const listed = (await relay.admin.listConversations()).conversations.map((c) => c.id).sort();
  if (JSON.stringify(listed) !== JSON.stringify([...state.conversations.keys()].sort())) problems.push(`conversations ${listed.join(',')}`);
  for (const [id, expected] of state.conversations) {
    const { conversation } = await relay.admin.getConversation(id);
    if (JSON.stringify(sorted(conversation)) !== JSON.stringify(sorted(expected))) problems.push(`conversation ${id} differs`);
  }
  const sessions = (await relay.admin.listSessions()).sessions.map((x) => `${x.name}@${x.host}`).sort();
  const folded = [...state.sessions.values()].map((x) => `${x.name}@${x.host}`).sort();
  if (JSON.stringify(sessions) !== JSON.stringify(folded)) problems.push(`sessions ${sessions.join(',')} instead of ${folded.join(',')}`);
  return problems;
}

/** A value with its object keys in order, for comparing states built along different paths. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** Every event the relay serves, in order, as the JSON text it logged. */
async function servedEvents(relay: InprocRelay): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const res = await fetch(`${relay.relay.url}/v1/events?after=${out.length}&limit=1000`, {
      headers: { authorization: `Bearer ${await relay.adminToken()}` },
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`events: ${res.status} ${text}`);
    const { events } = JSON.parse(text) as { events: unknown[] };
    if (events.length === 0) return out;
    out.push(...events.map((e) => JSON.stringify(e)));
  }
}

describe(`relay on a damaged log (seed ${SEED})`, () => {
  const dirs: string[] = [];
  const relays = new InprocRelays();
  afterEach(async () => {
    await relays.closeAll();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function tempDir(prefix: string): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  }

  /** A data dir holding `log` (and `snapshot`, if given), with the source's identity and admin key. */
  async function dataDirWith(source: string, log: Buffer, snapshot: Buffer | null): Promise<string> {
    const dataDir = join(await tempDir('ct-damage-case-'), 'relay');
    await mkdir(dataDir, { mode: 0o700 });
    await copyFile(join(source, 'relay.json'), join(dataDir, 'relay.json'));
    await copyFile(join(source, 'admin-key.json'), join(dataDir, 'admin-key.json'));
    await writeFile(join(dataDir, 'events.log'), log);
    if (snapshot) await writeFile(join(dataDir, 'snapshot.json'), snapshot);
    return dataDir;
  }

  it('starts into exactly the acknowledged records, or refuses with LOG_CORRUPT and repairs to the records before the damage', async () => {
    process.stdout.write(`damaged log seed=${SEED} (set CROSSTALK_STORAGE_SEED to repeat)\n`);
    const source = join(await tempDir('ct-damage-'), 'relay');
    // Any clean stop leaves a snapshot, so the damaged copies also test starting from one.
    const relay = await relays.start({ dataDir: source, snapshotAtStop: 1 });
    const hosts = [await relay.enroll('alpha'), await relay.enroll('beta')] as [EnrolledHost, EnrolledHost];
    await hosts[0].client.registerSession({ name: 'sa', kind: 'claude-code', wake: { type: 'tmux', pane: '%3', socket: '/tmp/tmux-1000/default' } });
    await hosts[1].client.registerSession({ name: 'sb', kind: 'codex', wake: { type: 'none' } });
    const plan = planLanes({ sessions: ['sa', 'sb'], lanes: 3, turnsPerLane: 12 });
    await runLanes({ clients: [hosts[0].client, hosts[1].client], sessions: ['sa', 'sb'], lanes: 3, turnsPerLane: 12 }, plan);
    const [c0, c1] = [plan[0]![0]!.conversation!, plan[1]![0]!.conversation!];
    await hosts[0].client.moderate(c0, { as: 'sa', action: { type: 'next', next: ['sb'] } });
    await hosts[1].client.postReceipt({ session: 'sb', conversation: c0, turn: 13, status: 'delivered', attempt: 1 });
    await hosts[0].client.close(c1, { as: 'sa', resolution: 'closed for the test' });
    await hosts[1].client.registerSession({ name: 'sb2', kind: 'other', wake: { type: 'none' } });
    await relays.close(relay);

    const bytes = await readFile(join(source, 'events.log'));
    const snapshot = await readFile(join(source, 'snapshot.json'));
    const lines = bytes.toString('utf8').split('\n').slice(0, -1);
    const acked = lines.map((l) => l.slice(9));
    const starts = [0];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
    const recordAt = (offset: number) => starts.findIndex((s, i) => s <= offset && offset < (starts[i + 1] ?? Infinity));
    const r = rng(SEED);
    const problems: string[] = [];
    const figures = {
      cuts: 0,
      cutsRecovered: 0,
      flips: 0,
      flipsHarmless: 0,
      flipsRefused: 0,
      repaired: 0,
      withSnapshot: 0,
      snapshotFlips: 0,
      snapshotIgnored: 0,
    };
    const withSnapshot = () => {
      if (!r.chance(0.5)) return null;
      figures.withSnapshot++;
      return snapshot;
    };

    const open = (dataDir: string) => relays.start({ dataDir });

    for (let i = 0; i < CUTS; i++) {
      figures.cuts++;
      const cut = r.int(0, bytes.length);
      const expected = starts.filter((s) => s > 0 && s <= cut).length;
      const dataDir = await dataDirWith(source, bytes.subarray(0, cut), withSnapshot());
      try {
        const rel = await open(dataDir);
        const events = await servedEvents(rel);
        const differences = await stateProblems(rel, acked.slice(0, expected));
        await relays.close(rel);
        if (JSON.stringify(events) !== JSON.stringify(acked.slice(0, expected)))
          problems.push(`cut at ${cut}: served ${events.length} events, expected the first ${expected}`);
        else if (differences.length > 0) problems.push(`cut at ${cut}: state differs from the log: ${differences.join('; ')}`);
        else figures.cutsRecovered++;
        const size = (await stat(join(dataDir, 'events.log'))).size;
        if (size !== starts[expected]) problems.push(`cut at ${cut}: the log is ${size} bytes after start, expected ${starts[expected]}`);
      } catch (err) {
        problems.push(`cut at ${cut}: the relay refused to start: ${String(err)}`);
      }
    }

    for (let i = 0; i < FLIPS; i++) {
      figures.flips++;
      const at = r.int(0, bytes.length - 1);
      const damaged = Buffer.from(bytes);
      damaged[at] = (damaged[at] as number) ^ (1 << r.int(0, 7));
      const dataDir = await dataDirWith(source, damaged, withSnapshot());
      const record = recordAt(at);
      let refused: CrosstalkError | null = null;
      try {
        const rel = await open(dataDir);
        const events = await servedEvents(rel);
        const differences = await stateProblems(rel, acked);
        await relays.close(rel);
        if (JSON.stringify(events) !== JSON.stringify(acked) || differences.length > 0)
          problems.push(`flip at ${at}: the relay started with altered or missing records`);
        else figures.flipsHarmless++;
        continue;
      } catch (err) {
        if (!(err instanceof CrosstalkError) || err.code !== 'LOG_CORRUPT') {
          problems.push(`flip at ${at}: failed with ${String(err)} instead of LOG_CORRUPT`);
          continue;
        }
        refused = err;
      }
      figures.flipsRefused++;
      const logPath = join(dataDir, 'events.log');
      if (refused.details?.offset !== starts[record] || refused.details?.file !== logPath) {
        problems.push(`flip at ${at}: LOG_CORRUPT names ${JSON.stringify(refused.details)}, expected ${logPath} at ${starts[record]}`);
      }
      const before = JSON.parse(await readFile(join(dataDir, 'relay.json'), 'utf8')).epoch as string;
      const repair = await repairLog(dataDir);
      if (repair.truncatedAt !== starts[record] || repair.newEpoch === null || repair.newEpoch === before) {
        problems.push(`flip at ${at}: repair cut at ${repair.truncatedAt} with epoch ${repair.newEpoch}, expected ${starts[record]} and a new epoch`);
        continue;
      }
      const rel = await open(dataDir);
      const events = await servedEvents(rel);
      const differences = await stateProblems(rel, acked.slice(0, record));
      await relays.close(rel);
      if (differences.length > 0) problems.push(`flip at ${at}: after repair the state differs from the log: ${differences.join('; ')}`);
      if (rel.relay.epoch !== repair.newEpoch) problems.push(`flip at ${at}: the repaired relay runs epoch ${rel.relay.epoch}, not ${repair.newEpoch}`);
      if (JSON.stringify(events) !== JSON.stringify(acked.slice(0, record)))
        problems.push(`flip at ${at}: after repair the relay serves ${events.length} events, expected the ${record} before the damage`);
      else figures.repaired++;
    }

    // A damaged snapshot beside a sound log: never trusted, the log is folded instead.
    for (let i = 0; i < SNAPSHOT_FLIPS; i++) {
      figures.snapshotFlips++;
      const at = r.int(0, snapshot.length - 1);
      const damaged = Buffer.from(snapshot);
      damaged[at] = (damaged[at] as number) ^ (1 << r.int(0, 7));
      const dataDir = await dataDirWith(source, bytes, damaged);
      try {
        const rel = await open(dataDir);
        const events = await servedEvents(rel);
        const differences = await stateProblems(rel, acked);
        const warned = rel.logs.some((l) => /snapshot/i.test(l));
        await relays.close(rel);
        if (JSON.stringify(events) !== JSON.stringify(acked) || differences.length > 0)
          problems.push(`snapshot flip at ${at}: the relay trusted a damaged snapshot: ${differences.join('; ')}`);
        else if (warned) figures.snapshotIgnored++;
        else problems.push(`snapshot flip at ${at}: the relay started from the damaged snapshot without a warning`);
      } catch (err) {
        problems.push(`snapshot flip at ${at}: the relay did not start: ${String(err)}`);
      }
    }

    process.stdout.write(
      `records=${acked.length} bytes=${bytes.length} snapshot_bytes=${snapshot.length} truncations=${figures.cuts} recovered=${figures.cutsRecovered} ` +
        `bitflips=${figures.flips} harmless=${figures.flipsHarmless} refused=${figures.flipsRefused} repaired=${figures.repaired} ` +
        `cases_with_snapshot=${figures.withSnapshot} snapshot_bitflips=${figures.snapshotFlips} snapshot_ignored_with_warning=${figures.snapshotIgnored}\n`,
    );
    expect(problems).toEqual([]);
    expect(new Set(acked.map((a) => JSON.parse(a).type)).size).toBeGreaterThanOrEqual(7);
    expect(figures.repaired).toBe(figures.flipsRefused);
    expect(figures.snapshotIgnored).toBe(SNAPSHOT_FLIPS);
  });
});
