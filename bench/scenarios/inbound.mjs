// What a host agent spends on what comes back from the relay, alone: `events` frames parsed as the
// link parses them and applied by the agent's replica, which writes each changed conversation's
// state file and markdown copy and, every 100 ms, fsyncs them and persists the cursor. 100
// conversations take turns of 500 bytes at 2,500 events/s for 4 s, paced as the agent's sync
// paces batches (each waits as long as the one before took). The figure is the CPU of this
// process (user + system) per event: in the posts scenario the agents' other work (the local
// endpoint, the outbox, the posts' answers) and the load of the other processes blur it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideOpen, decidePost } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';

const AGENT_DIST = new URL('../../packages/agent/dist/', import.meta.url);
const CONVERSATIONS = 100;
const RATE = 2500;
const BODY = 'x'.repeat(500);
const CURSOR_MS = 100;

/** The log: two sessions per conversation (b on this host, with no wake target), `posts` turns round the conversations. */
function history(posts) {
  const r = new MemoryRelay();
  for (let i = 0; i < CONVERSATIONS; i++) {
    r.register(`a${i}`, 'h1');
    r.register(`b${i}`, 'h2');
  }
  for (let i = 0; i < CONVERSATIONS; i++) {
    const actor = { kind: /** @type {const} */ ('session'), session: `a${i}`, host: 'h1' };
    r.commit(decideOpen(r.state, { actor, id: `c${i}`, topic: 'inbound', with: [`b${i}`], body: BODY, key: `o${i}`, at: r.now(), maxTurns: 1000 }));
  }
  const turns = new Array(CONVERSATIONS).fill(1);
  for (let p = 0; p < posts; p++) {
    const i = p % CONVERSATIONS;
    const n = ++turns[i];
    const who = n % 2 === 0 ? { session: `b${i}`, host: 'h2' } : { session: `a${i}`, host: 'h1' };
    r.commit(
      decidePost(r.state, { actor: { kind: 'session', ...who }, conversation: `c${i}`, expectedTurn: n, key: `k${p}`, body: `${p} ${BODY}`, at: r.now() }),
    );
  }
  return r.log;
}

export async function inbound(ctx) {
  const { parseServerMessage } = await import(new URL('link/frames.js', AGENT_DIST).href);
  const { Replica } = await import(new URL('state/replica.js', AGENT_DIST).href);
  const { StateStore } = await import(new URL('state/store.js', AGENT_DIST).href);
  const posts = (ctx.quick ? 1 : 4) * RATE;
  const frames = history(posts).map((e) => Buffer.from(JSON.stringify({ t: 'events', events: [e] })));
  const dir = await mkdtemp(join(tmpdir(), 'ct-bench-inbound-'));
  ctx.defer(() => rm(dir, { recursive: true, force: true }));
  const replica = await Replica.open({
    store: new StateStore(join(dir, 'state')),
    copiesDir: join(dir, 'conversations'),
    relayId: 'bench',
    log: { info() {}, warn() {} },
  });
  await replica.adoptEpoch('bench', false);
  // The sessions and the openings first, outside the measure.
  const setup = 3 * CONVERSATIONS;
  await replica.apply(frames.slice(0, setup).flatMap((f) => parseServerMessage(f, false).events));
  await replica.persistCursor();

  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = setup;
  let lastCursor = started;
  while (next < frames.length) {
    const due = Math.min(frames.length, setup + Math.floor(((performance.now() - started) / 1000) * RATE));
    const events = [];
    for (; next < due; next++) events.push(...parseServerMessage(frames[next], false).events);
    const batchStarted = performance.now();
    if (events.length > 0) await replica.apply(events);
    const took = performance.now() - batchStarted;
    if (performance.now() - lastCursor >= CURSOR_MS) {
      await replica.persistCursor();
      lastCursor = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, took)));
  }
  await replica.persistCursor();
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000;
  return [
    {
      name: 'agent CPU per event received (parse, apply, write state and copies, cursor)',
      unit: 'ms',
      median: ms / posts,
      p95: null,
      target: null,
      note: `${posts} turn.posted events into ${CONVERSATIONS} conversations at ${RATE}/s over ${((performance.now() - started) / 1000).toFixed(1)} s: CPU user ${(used.user / 1000).toFixed(0)} ms, system ${(used.system / 1000).toFixed(0)} ms`,
    },
  ];
}
