// `crosstalk hook`: what Claude Code and Codex run on every event of every session. Timed as the
// coding agent sees it, process start to exit: a Stop event of a joined session answered by a
// running agent (the path every turn takes), and the same with no agent listening. The figure is
// the p95 of the first, against the 100 ms budget.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@crosstalk/core/test-support';
import { enrolledHome, runAgent } from '../lib/homes.mjs';
import { adminOf } from '../lib/hosts.mjs';
import { startMainRelay } from '../lib/relay.mjs';
import { median, p95 } from '../lib/stats.mjs';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/bundle/bin.js', import.meta.url));
const STOP = readFileSync(new URL('../../packages/agent/src/hooks/__fixtures__/claude-code/Stop.json', import.meta.url), 'utf8');

function timeHook(env, args = [CLI, 'hook', 'claude-code']) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`crosstalk hook exited ${code}: ${out.slice(0, 300)}`))));
    child.stdin.end(STOP);
  });
}

export async function hook(ctx) {
  const samples = ctx.quick ? 20 : 100;
  const dir = await ctx.tempDir('hook');
  const relay = await startMainRelay(join(dir, 'relay'), { nodeArgs: ctx.relayNodeArgs });
  ctx.defer(() => relay.stop());
  ctx.logs(() => relay.logs());
  const { relayId } = /** @type {{ relayId: string }} */ (await (await fetch(`${relay.url}/v1/health`)).json());
  const admin = await adminOf(relay.url, join(dir, 'relay'), relayId);
  const home = await enrolledHome(dir, 'bench-hook', relay.url, admin);
  const socket = join(dir, 'tmux.sock');
  await home.client.registerSession({ name: 'bench-hook', kind: 'claude-code', wake: { type: 'tmux', pane: '%1', socket } });
  const agent = runAgent(home, ctx.env);
  ctx.defer(() => agent.stop());
  ctx.logs(() => agent.logs());
  await waitFor('the agent to link', async () => (await admin.listHosts()).hosts.some((h) => h.connected), { timeoutMs: 30_000, intervalMs: 50 });

  // As Claude Code runs it in the session's pane: the pane names the session.
  const withAgent = { ...ctx.env, CROSSTALK_HOME: home.layout.home, TMUX: `${socket},1,0`, TMUX_PANE: '%1' };
  const without = { ...ctx.env, CROSSTALK_HOME: join(dir, 'no-agent'), TMUX: '', TMUX_PANE: '' };
  await timeHook(withAgent);
  await timeHook(without);
  const answered = [];
  const alone = [];
  const bare = [];
  for (let i = 0; i < samples; i++) {
    answered.push(await timeHook(withAgent));
    alone.push(await timeHook(without));
    // Node itself, on the same machine at the same moment: what no command can go below.
    bare.push(await timeHook(ctx.env, ['-e', 'process.stdin.resume(); process.stdin.on("end", () => {})']));
  }
  return [
    {
      name: '`crosstalk hook` on a Stop event, answered by the agent',
      unit: 'ms',
      median: median(answered),
      p95: p95(answered),
      target: { op: '<=', value: 100, of: 'p95' },
      note: `${samples} runs, process start to exit; with no agent listening: median ${median(alone).toFixed(1)} ms, p95 ${p95(alone).toFixed(1)} ms; node reading stdin and exiting: median ${median(bare).toFixed(1)} ms, p95 ${p95(bare).toFixed(1)} ms`,
    },
  ];
}
