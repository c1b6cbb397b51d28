// Relay restart: time from starting `main.js serve` until /v1/health answers, with a log of
// 1,000,000 events. The log is generated once (directly in the log format, shaped like real
// use; see lib/loggen.mjs) and cached under the system temp dir, since the generator is
// deterministic.
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cpuSeconds } from '../lib/cpu.mjs';
import { cachedLog } from '../lib/loggen.mjs';
import { startMainRelay } from '../lib/relay.mjs';
import { median, p95 } from '../lib/stats.mjs';
import { within } from '../lib/wait.mjs';

/** The generated log (cached), which `compact` reuses too. */
export { cachedLog };

/** Starts `main.js serve` on the data dir; ms until /v1/health answered, and the head it gave. */
async function timeToServe(dataDir, nodeArgs, stop) {
  const started = performance.now();
  const relay = await startMainRelay(dataDir, { nodeArgs, logLevel: 'info' });
  try {
    const res = await within(fetch(`${relay.url}/v1/health`), 10_000, 'health');
    const health = await res.json();
    const ms = performance.now() - started;
    // CPU the relay process used to get there: on a busy machine the wall time is mostly waiting.
    const cpu = cpuSeconds(relay.child.pid);
    const replayed = /"event log replayed"/.test(relay.logs())
      ? JSON.parse(
          relay
            .logs()
            .split('\n')
            .find((l) => l.includes('"event log replayed"')),
        )
      : null;
    return { ms, cpu, head: health.head, fromSnapshot: replayed?.fromSnapshot ?? null };
  } finally {
    if (stop === 'clean') await relay.stop();
    else await relay.kill();
  }
}

export async function restart(ctx) {
  const events = ctx.quick ? 200_000 : 1_000_000;
  const samples = ctx.quick ? 1 : 3;
  const { dataDir, info } = await cachedLog(events, ctx.progress);
  const snapshot = join(dataDir, 'snapshot.json');
  await rm(snapshot, { force: true });
  const whole = [];
  const wholeCpu = [];
  for (let i = 0; i < samples; i++) {
    ctx.progress(`start ${i + 1}/${samples} folding the whole log`);
    // The last one stops cleanly and leaves a snapshot; the others are killed, as in a crash.
    const t = await timeToServe(dataDir, ctx.relayNodeArgs, i === samples - 1 ? 'clean' : 'kill');
    if (t.head !== info.events || t.fromSnapshot !== 0)
      throw new Error(`the relay came back with head ${t.head} (${t.fromSnapshot} from a snapshot), not ${info.events} from the log`);
    whole.push(t.ms);
    wholeCpu.push(t.cpu);
  }
  if (!existsSync(snapshot)) throw new Error('the relay wrote no snapshot when it stopped');
  const fromSnapshot = [];
  const snapshotCpu = [];
  for (let i = 0; i < samples; i++) {
    ctx.progress(`start ${i + 1}/${samples} from the snapshot`);
    const t = await timeToServe(dataDir, ctx.relayNodeArgs, 'kill');
    if (t.head !== info.events || t.fromSnapshot !== info.events)
      throw new Error(`the relay came back with head ${t.head} (${t.fromSnapshot} from the snapshot), not ${info.events}`);
    fromSnapshot.push(t.ms);
    snapshotCpu.push(t.cpu);
  }
  const size = (await stat(snapshot)).size;
  const log = `${info.events.toLocaleString('en-US')} events (${info.conversations.toLocaleString('en-US')} conversations of 20 turns, each turn followed by its receipt), ${(info.bytes / 1e6).toFixed(0)} MB; turn bodies 60–1,660 B (mean ${info.meanBodyBytes} B), mean record ${info.meanRecordBytes} B`;
  const label = events.toLocaleString('en-US');
  const cpuNote = (list) => (list.every((c) => c !== null) ? `; relay CPU (user + system) median ${median(list).toFixed(2)} s` : '');
  return [
    {
      name: `relay restart, ${label}-event log, from the snapshot of a clean stop`,
      unit: 'ms',
      median: median(fromSnapshot),
      p95: samples > 1 ? p95(fromSnapshot) : null,
      target: { op: '<=', value: 2_000 },
      note: `${log}; snapshot ${(size / 1e6).toFixed(0)} MB; ${samples} start${samples === 1 ? '' : 's'} of \`main.js serve\` until /v1/health answers${cpuNote(snapshotCpu)}`,
    },
    {
      name: `relay restart, ${label}-event log, whole log folded (no snapshot)`,
      unit: 'ms',
      median: median(whole),
      p95: samples > 1 ? p95(whole) : null,
      target: { op: '<=', value: 5_000 },
      note: `the same log without a snapshot (first start, or after the snapshot was lost)${cpuNote(wholeCpu)}`,
    },
  ];
}
