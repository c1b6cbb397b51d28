// Compaction killed at random moments: a real relay and two real agents; each round posts new
// conversations and deletes one, stops the relay, runs `compactLog` in a child process and kills
// it with SIGKILL after a random delay. Whatever the moment, the log is the old one or the new one
// byte for byte (never a mix, never none), the relay starts (after a kill in the middle of taking
// the data dir lock, once that lock is 5 s old), every conversation not deleted is
// there with every turn, no deleted body is served, and both agents end with copies byte-identical
// to the relay's rendering (in archive/ for archived ones) and none of the deleted ones.
// CROSSTALK_COMPACT_SEED=<n> repeats a run; the seed is printed.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelayClient, type RelayClient } from '@crosstalk/client';
import { compactLog } from '@crosstalk/relay';
import { tokenSigner } from '@crosstalk/core/token';
import { waitFor } from '@crosstalk/core/test-support';
import { readHostKey } from '@crosstalk/agent';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentProc, enrollHost, pickSeed, Procs, RelayProc, repoFile, rng, type Home, type Rng } from '../harness/index.js';

const SEED = pickSeed(process.env.CROSSTALK_COMPACT_SEED);
const ROUNDS = 20;
const CHILD = repoFile('test/storage/compact-child.mjs');
const HOSTS = ['alpha', 'beta'] as const;

interface Posted {
  id: string;
  bodies: string[];
  archived: boolean;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function body(r: Rng, token: string): string {
  return `${token}\n\n${randomBytes(r.int(4, 20) * 1024).toString('base64')}`;
}

/** Opens a conversation s-alpha → s-beta with `turns` turns; bodies carry `prefix` so a leak shows. */
async function converse(r: Rng, clients: RelayClient[], prefix: string, turns: number): Promise<Posted> {
  const [a, b] = clients as [RelayClient, RelayClient];
  const first = body(r, `${prefix}-1`);
  const opened = await a.openConversation({
    as: 's-alpha',
    topic: `round ${prefix}`,
    with: ['s-beta'],
    body: first,
    idempotencyKey: randomBytes(8).toString('hex'),
  });
  const id = opened.conversation.id;
  const bodies = [first];
  for (let n = 2; n <= turns; n++) {
    const text = body(r, `${prefix}-${n}`);
    const [client, as] = n % 2 === 0 ? [b, 's-beta'] : [a, 's-alpha'];
    await client.postTurn(id, { as, expectedTurn: n, idempotencyKey: randomBytes(8).toString('hex'), body: text });
    bodies.push(text);
  }
  return { id, bodies, archived: false };
}

/**
 * Starts the relay again. A kill while the compaction was writing the data dir's lock leaves a
 * LOCK without a pid, which any relay treats as taken for 5 s (it may be one being written): the
 * relay is refused until then, and then starts. Anything else that stops it fails the test.
 */
async function restart(relay: RelayProc, outcomes: { lockCutShort: number }): Promise<void> {
  const lock = join(relay.dataDir, 'LOCK');
  try {
    await relay.restart();
  } catch (err) {
    const text = await readFile(lock, 'utf8').catch(() => null);
    if (text === null || /"pid":\d+/.test(text)) throw err;
    outcomes.lockCutShort++;
    await waitFor('the lock cut short to be 5 s old', async () => Date.now() - (await stat(lock)).mtimeMs > 5_000, { timeoutMs: 10_000, intervalMs: 100 });
    await relay.restart();
  }
}

describe('compaction killed at random moments', () => {
  const procs = new Procs();
  const dirs: string[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') process.stderr.write(`${procs.logs()}\n`);
    await procs.stopAll();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it(`leaves the old log or the new one, and agents resync byte-identical copies (${ROUNDS} kills)`, { timeout: 240_000 }, async () => {
    process.stdout.write(`compact-kill seed=${SEED} rounds=${ROUNDS} (set CROSSTALK_COMPACT_SEED to repeat)\n`);
    const r = rng(SEED);
    const dir = await mkdtemp(join(tmpdir(), 'ct-compact-kill-'));
    dirs.push(dir);
    const logs = () => procs.logs();
    const relay = await RelayProc.start(procs, { dataDir: join(dir, 'relay'), logLevel: 'info' });
    const homes: Home[] = [];
    const clients: RelayClient[] = [];
    for (const name of HOSTS) {
      const home = await enrollHost(relay, join(dir, 'homes'), name);
      homes.push(home);
      const signer = await tokenSigner(await readHostKey(home.layout.hostKey), name, relay.relayId);
      const client = createRelayClient({ relayUrl: relay.url, signer, timeoutMs: 15_000 });
      await client.registerSession({ name: `s-${name}`, kind: 'other', wake: { type: 'none' } });
      clients.push(client);
    }
    const tuning = { backoff: { baseMs: 50, capMs: 400 } };
    const agents = homes.map((home) => AgentProc.start(procs, home, { tuning, logLevel: 'info' }));
    for (const a of agents) await a.connected({ logs });

    const kept = new Map<string, Posted>();
    const deleted = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const c = await converse(r, clients, `KEEP-${i}`, 4);
      kept.set(c.id, c);
    }
    const outcomes = { old: 0, compacted: 0, lockCutShort: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      // New content, one conversation deleted (its bodies were marked GONE), sometimes one archived.
      for (let i = 0; i < 2; i++) {
        const c = await converse(r, clients, `KEEP-r${round}-${i}`, 4);
        kept.set(c.id, c);
      }
      const doomed = await converse(r, clients, `GONE-r${round}`, r.int(2, 5));
      await clients[0]?.close(doomed.id, { as: 's-alpha', resolution: 'to be deleted' });
      await clients[0]?.deleteConversation(doomed.id, { as: 's-alpha' });
      deleted.add(doomed.id);
      if (r.chance(0.3)) {
        const live = [...kept.values()].filter((c) => !c.archived);
        const pick = r.pick(live);
        await clients[0]?.archive(pick.id, { as: 's-alpha' });
        pick.archived = true;
      }
      await relay.stop();

      // What a compaction that finishes makes of this log, and what it is now.
      const logFile = join(relay.dataDir, 'events.log');
      const before = await readFile(logFile);
      const refDir = join(dir, `ref-${round}`);
      await cp(relay.dataDir, refDir, { recursive: true });
      const reference = await compactLog(refDir);
      const after = await readFile(join(refDir, 'events.log'));
      await rm(refDir, { recursive: true, force: true });
      expect(after.length).toBeLessThan(before.length);

      const child = procs.node(`compact#${round}`, CHILD, [relay.dataDir, String(r.int(4, 64) * 1024)]);
      await waitFor('the compaction child to load', () => child.stdout().includes('ready') || !child.running, { logs });
      const delayMs = r.int(0, Math.max(5, reference.ms * 2));
      await new Promise((done) => setTimeout(done, delayMs));
      await child.kill9();
      const now = await readFile(logFile);
      const state = now.equals(before) ? 'old' : now.equals(after) ? 'compacted' : 'neither';
      expect(state, `round ${round}: after a kill at ${delayMs} ms the log is the old or the new one`).not.toBe('neither');
      outcomes[state as 'old' | 'compacted']++;

      await restart(relay, outcomes);
      const admin = await relay.adminClient();
      for (const c of kept.values()) {
        const { conversation } = await admin.getConversation(c.id);
        expect(conversation.turns.map((t) => t.body)).toEqual(c.bodies);
      }
      for (const id of deleted) await expect(admin.getConversation(id)).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
      let after0 = 0;
      for (;;) {
        const page = await admin.events(after0);
        if (page.events.length === 0) break;
        expect(JSON.stringify(page.events)).not.toContain('GONE-');
        after0 = page.events[page.events.length - 1]?.seq ?? after0;
      }

      // Both agents: the relay's rendering of every conversation kept, none of the deleted.
      const rendered = new Map<string, string>();
      for (const c of kept.values()) rendered.set(c.id, await admin.getMarkdown(c.id));
      for (const home of homes) {
        const dirOf = (c: Posted) => (c.archived ? join(home.config.conversationsDir, 'archive') : home.config.conversationsDir);
        await waitFor(
          `round ${round}: ${home.name}'s copies to match the relay`,
          async () => {
            for (const c of kept.values()) if ((await readFile(join(dirOf(c), `${c.id}.md`), 'utf8').catch(() => '')) !== rendered.get(c.id)) return false;
            for (const id of deleted) {
              if (await exists(join(home.config.conversationsDir, `${id}.md`))) return false;
              if (await exists(join(home.config.conversationsDir, 'archive', `${id}.md`))) return false;
            }
            return true;
          },
          { timeoutMs: 60_000, intervalMs: 100, logs },
        );
      }
    }
    process.stdout.write(`compact-kill: old=${outcomes.old} compacted=${outcomes.compacted} lock_cut_short=${outcomes.lockCutShort} seed=${SEED}\n`);
    expect(outcomes.old + outcomes.compacted).toBe(ROUNDS);
  });
});
