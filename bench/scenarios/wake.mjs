// Turn to wake-up: a session of host A posts a turn; the agent of host B (its own process, like
// A's agent and the relay) types the wake-up line into the tmux pane of B's session, on a private
// tmux server, where a fake coding agent reports the moment the text arrives. Measured from the
// HTTP post being sent (relay + agent), and from starting a `crosstalk reply` process.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@crosstalk/core/test-support';
import { enrolledHome, runAgent } from '../lib/homes.mjs';
import { adminOf } from '../lib/hosts.mjs';
import { connection } from '../lib/http.mjs';
import { startMainRelay } from '../lib/relay.mjs';
import { median, p95 } from '../lib/stats.mjs';
import { startTmux } from '../lib/tmux.mjs';
import { within } from '../lib/wait.mjs';

const FAKE_AGENT = fileURLToPath(new URL('../fixtures/fake-agent.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../../packages/cli/dist/bundle/bin.js', import.meta.url));

/** What the fake agent reports, with the time each report arrived. */
function notifications(path) {
  const events = [];
  const waiters = new Set();
  const server = net.createServer((socket) => {
    let buf = '';
    socket.on('data', (chunk) => {
      const at = performance.now();
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const space = line.indexOf(' ');
        events.push({ kind: space < 0 ? line : line.slice(0, space), data: space < 0 ? '' : line.slice(space + 1), at });
        for (const w of waiters) w();
      }
    });
  });
  return {
    listen: () => new Promise((resolve) => server.listen(path, () => resolve(undefined))),
    /** The first event of `kind` after index `from`. */
    next(kind, from, timeoutMs = 15_000) {
      return within(
        new Promise((resolve) => {
          const look = () => {
            const i = events.findIndex((e, j) => j >= from && e.kind === kind);
            if (i < 0) return;
            waiters.delete(look);
            resolve({ ...events[i], index: i });
          };
          waiters.add(look);
          look();
        }),
        timeoutMs,
        `the fake agent to report ${kind}`,
      );
    },
    get count() {
      return events.length;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** @param {{ layout: { home: string } }} home */
function runCli(home, args, baseEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...baseEnv, CROSSTALK_HOME: home.layout.home, TMUX: '', TMUX_PANE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`crosstalk ${args[0]} exited ${code}: ${out.slice(0, 400)}`))));
  });
}

export async function wake(ctx) {
  const samples = ctx.quick ? 10 : 60;
  const dir = await ctx.tempDir('wake');
  const relay = await startMainRelay(join(dir, 'relay'), { nodeArgs: ctx.relayNodeArgs });
  ctx.defer(() => relay.stop());
  ctx.logs(() => relay.logs());
  const { relayId } = /** @type {{ relayId: string }} */ (await (await fetch(`${relay.url}/v1/health`)).json());
  const admin = await adminOf(relay.url, join(dir, 'relay'), relayId);
  const a = await enrolledHome(dir, 'bench-a', relay.url, admin);
  const b = await enrolledHome(dir, 'bench-b', relay.url, admin);

  const notes = notifications(join(dir, 'notify.sock'));
  await notes.listen();
  ctx.defer(() => notes.close());
  const tmux = await startTmux(dir, [process.execPath, FAKE_AGENT, join(dir, 'notify.sock')], ctx.env);
  ctx.defer(() => tmux.stop());
  ctx.logs(async () => `--- pane\n${await tmux.capture().catch((e) => String(e))}`);
  await notes.next('ready', 0);

  await a.client.registerSession({ name: 'bench-a', kind: 'other', wake: { type: 'none' } });
  await b.client.registerSession({
    name: 'bench-b',
    kind: 'claude-code',
    wake: { type: 'tmux', pane: tmux.pane, socket: tmux.socket, panePid: tmux.panePid, agentCommand: 'bench-agent' },
  });
  for (const home of [a, b]) {
    const agent = runAgent(home, ctx.env);
    ctx.defer(() => agent.stop());
    ctx.logs(() => agent.logs());
  }
  await waitFor('both agents to link', async () => (await admin.listHosts()).hosts.filter((h) => h.connected).length === 2, {
    timeoutMs: 30_000,
    intervalMs: 50,
  });

  const opened = await a.client.openConversation({
    as: 'bench-a',
    topic: 'wake-up latency',
    with: ['bench-b'],
    maxTurns: 1000,
    body: 'first',
    idempotencyKey: randomBytes(9).toString('base64url'),
  });
  const id = opened.conversation.id;
  let turn = 1;
  const conn = connection(relay.url);
  ctx.defer(() => conn.close());

  /** Waits until B's agent finished the wake-up for `expected` (Enter pressed, receipt in). */
  const settled = async (from, expected) => {
    const submitted = await notes.next('submit', from);
    if (!submitted.data.includes(`(turn ${expected}/`)) throw new Error(`the pane got ${submitted.data}, not the wake-up for turn ${expected}`);
    await waitFor(
      'the delivered receipt',
      async () => (await a.client.listReceipts(id)).receipts.some((r) => r.turn === expected && r.status === 'delivered'),
      { intervalMs: 10 },
    );
  };
  await settled(0, 2);

  const viaHttp = async () => {
    const from = notes.count;
    const token = a.fast.mint();
    const body = JSON.stringify({
      as: 'bench-a',
      expectedTurn: turn + 1,
      idempotencyKey: randomBytes(9).toString('base64url'),
      body: `turn ${turn + 1}: a short answer`,
    });
    const t0 = performance.now();
    const res = await conn.request('POST', `/v1/conversations/${id}/turns`, token, body);
    if (res.status !== 201) throw new Error(`post failed: ${res.status} ${res.text.slice(0, 300)}`);
    const pasted = await notes.next('paste', from);
    turn++;
    await settled(from, turn + 1);
    return pasted.at - t0;
  };
  // A's home without the endpoint secret: the CLI finds no agent to post through and goes straight
  // to the relay, as it does where no agent runs.
  const direct = { layout: { home: join(dir, 'bench-a-direct') } };
  await mkdir(direct.layout.home, { mode: 0o700 });
  for (const file of ['config.json', 'host-key.json']) await copyFile(join(a.layout.home, file), join(direct.layout.home, file));
  /** @param {{ layout: { home: string } }} home */
  const viaCli = async (home = a) => {
    const from = notes.count;
    const t0 = performance.now();
    // What a woken session runs: the command from its wake-up line, which names the turn.
    await runCli(home, ['reply', id, '--as', 'bench-a', '--expect-turn', String(turn + 1), '--body', `turn ${turn + 1}: a short answer`], ctx.env);
    const pasted = await notes.next('paste', from);
    turn++;
    await settled(from, turn + 1);
    return pasted.at - t0;
  };

  // One of each first: warm caches, and find out whether the CLI can reply yet.
  await viaHttp();
  let cliProblem = null;
  await viaCli().catch((err) => {
    cliProblem = String(err.message ?? err)
      .split('\n')[0]
      .slice(0, 200);
  });
  const http = [];
  const cli = [];
  const cliDirect = [];
  if (!cliProblem) await viaCli(direct);
  for (let i = 0; i < samples; i++) {
    http.push(await viaHttp());
    if (!cliProblem) cli.push(await viaCli());
    if (!cliProblem) cliDirect.push(await viaCli(direct));
  }
  /** @type {Array<Record<string, unknown>>} */
  const figures = [
    {
      name: 'turn → wake-up in the pane, from the HTTP post (relay + agent)',
      unit: 'ms',
      median: median(http),
      p95: p95(http),
      target: { op: '<=', value: 15 },
      note: `${http.length} turns; from sending the post (token minted before) to the text arriving in the pane's application; relay, agent A and agent B each their own process`,
    },
  ];
  figures.push(
    cliProblem
      ? {
          name: 'turn → wake-up in the pane, from starting `crosstalk reply`',
          unit: 'ms',
          median: null,
          p95: null,
          target: { op: '<=', value: 100 },
          error: `not measured: ${cliProblem}`,
        }
      : {
          name: 'turn → wake-up in the pane, from starting `crosstalk reply`',
          unit: 'ms',
          median: median(cli),
          p95: p95(cli),
          target: { op: '<=', value: 100 },
          note: `${cli.length} turns, interleaved with the HTTP ones; from spawning \`node crosstalk reply <id> --as … --expect-turn N --body …\`, the command of the wake-up line, which posts through A's agent`,
        },
  );
  if (!cliProblem)
    figures.push({
      name: 'turn → wake-up in the pane, from starting `crosstalk reply`, direct HTTP (no agent)',
      unit: 'ms',
      median: median(cliDirect),
      p95: p95(cliDirect),
      target: null,
      note: `${cliDirect.length} turns, interleaved; the same command with a home holding no endpoint secret, so it signs a token with the host key and posts over HTTP`,
    });
  return figures;
}
