#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only name,name]`: runs every scenario (each bounded in time
// and count, loopback only), prints one table, writes bench/results/latest.json and refreshes
// the table in docs/PERFORMANCE.md. Not part of `npm test`.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { judge, machine, textTable, updateDoc, writeJson } from './lib/report.mjs';
import { SCENARIOS } from './scenarios/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const only = values.only ? new Set(values.only.split(',')) : null;
const unknown = only ? [...only].filter((n) => !SCENARIOS.some((s) => s.name === n)) : [];
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), 'crosstalk-bench-'));
const started = Date.now();
const figures = [];
let failed = false;

for (const scenario of SCENARIOS) {
  if (only && !only.has(scenario.name)) continue;
  const cleanups = [];
  const logSources = [];
  let dirs = 0;
  const ctx = {
    quick: values.quick,
    root,
    /** The environment the bench was started with, for the processes it starts. */
    env: process.env,
    /** Extra node flags for relay (and posting agent) processes: `--profile` writes CPU profiles to bench/results/profiles. */
    relayNodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench/results/profiles')}`] : [],
    async tempDir(name) {
      const dir = join(work, `${scenario.name}-${++dirs}-${name}`);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    defer: (fn) => cleanups.push(fn),
    logs: (fn) => logSources.push(fn),
    progress: (text) => process.stderr.write(`  ${scenario.name}: ${text}\n`),
  };
  const t = Date.now();
  process.stderr.write(`bench: ${scenario.name}…\n`);
  // The machine is shared: how busy it was tells how to read the figures.
  const loadBefore = loadavg()[0];
  try {
    const produced = await scenario.run(ctx);
    const load = `load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`;
    for (const f of produced) figures.push(judge({ ...f, load, note: f.note ? `${f.note}; ${load}` : load }));
  } catch (err) {
    failed = true;
    const logs = (
      await Promise.all(
        logSources.map((fn) =>
          Promise.resolve()
            .then(fn)
            .catch(() => ''),
        ),
      )
    ).join('\n');
    process.stderr.write(`bench: ${scenario.name} failed: ${err?.stack ?? err}\n${logs}\n`);
    for (const name of scenario.figures)
      figures.push(
        judge({
          name,
          unit: '',
          median: null,
          p95: null,
          target: null,
          error: String(err?.message ?? err)
            .split('\n')[0]
            .slice(0, 200),
        }),
      );
  } finally {
    for (const fn of cleanups.reverse())
      await Promise.resolve()
        .then(fn)
        .catch((e) => process.stderr.write(`bench: cleanup: ${e}\n`));
  }
  process.stderr.write(`bench: ${scenario.name} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}
await rm(work, { recursive: true, force: true });

const info = { ...machine(), date: new Date().toISOString().slice(0, 10), quick: values.quick };
process.stdout.write(`\ncrosstalk benchmarks — ${info.cores} cores (${info.cpu}), Node ${info.node}, ${info.date}${values.quick ? ', --quick' : ''}\n\n`);
process.stdout.write(`${textTable(figures)}\n\n`);
for (const f of figures) if (f.note || f.error) process.stdout.write(`  ${f.name}: ${f.error ? `error: ${f.error}` : f.note}\n`);
process.stdout.write(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

// Only a run of every scenario stands for the project: a partial one is printed, not recorded.
if (!only) {
  await mkdir(join(root, 'bench/results'), { recursive: true });
  await writeJson(join(root, 'bench/results/latest.json'), figures, { cores: info.cores, cpu: info.cpu, node: info.node, date: info.date, quick: info.quick });
  if (!values['no-doc']) await updateDoc(join(root, 'docs/PERFORMANCE.md'), figures, info);
}
process.exitCode = failed ? 1 : 0;
