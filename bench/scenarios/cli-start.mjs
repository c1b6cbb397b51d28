// CLI start: `crosstalk --help` against `node -e 0`, run alternately so both see the same
// machine; the figure is the ratio within each pair.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, p95 } from '../lib/stats.mjs';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/bundle/bin.js', import.meta.url));

function timeRun(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`node ${args.join(' ')} exited ${code}: ${err.slice(0, 300)}`)),
    );
  });
}

export async function cliStart(ctx) {
  const pairs = ctx.quick ? 10 : 40;
  // One of each first, so the file cache is warm for both.
  await timeRun([CLI, '--help']);
  await timeRun(['-e', '0']);
  const ratios = [];
  const cli = [];
  const bare = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which goes first, so neither always runs right after the other.
    let c;
    let b;
    if (i % 2 === 0) {
      c = await timeRun([CLI, '--help']);
      b = await timeRun(['-e', '0']);
    } else {
      b = await timeRun(['-e', '0']);
      c = await timeRun([CLI, '--help']);
    }
    cli.push(c);
    bare.push(b);
    ratios.push(c / b);
  }
  return [
    {
      name: 'CLI start: `crosstalk --help` / `node -e 0`',
      unit: '×',
      median: median(ratios),
      p95: p95(ratios),
      target: { op: '<=', value: 1.5 },
      note: `${pairs} pairs; crosstalk --help median ${median(cli).toFixed(1)} ms, node -e 0 median ${median(bare).toFixed(1)} ms`,
    },
  ];
}
