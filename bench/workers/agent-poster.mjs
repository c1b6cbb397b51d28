// The load generator for durable posts through host agents, in its own process. Each slot keeps
// one connection to its host's local endpoint (hello, the agent's proof checked once) and posts
// turns, one after another, into its own conversation, as `crosstalk reply` asks its agent to:
// a `post` request answered once the relay acknowledged it after fsync. Over IPC: `setup`, `run`.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { bodyFor } from '../lib/body.mjs';
import { agentProof, ENDPOINT_PROTOCOL, FrameReader, frame } from '@crosstalk/core/endpoint';

let setup = null;
/** One endpoint connection per slot. */
let connections = [];

function endpointConnection(path, secret) {
  const socket = net.createConnection(path);
  socket.setEncoding('utf8');
  const reader = new FrameReader();
  const nonce = randomBytes(24).toString('base64url');
  let welcomed;
  const ready = new Promise((resolve, reject) => {
    welcomed = { resolve, reject };
    socket.once('error', reject);
  });
  const waiting = new Map();
  let next = 1;
  socket.on('connect', () => socket.write(frame({ t: 'hello', v: ENDPOINT_PROTOCOL, nonce })));
  socket.on('data', (chunk) => {
    const { frames, error } = reader.push(String(chunk));
    if (error) return socket.destroy(error);
    for (const f of frames) {
      if (f.t === 'welcome') {
        const want = Buffer.from(agentProof(secret, nonce));
        const got = Buffer.from(String(f.proof ?? ''));
        if (got.length !== want.length || !timingSafeEqual(got, want)) welcomed.reject(new Error('the agent gave no valid proof'));
        else welcomed.resolve();
        continue;
      }
      if (f.t === 'progress') continue;
      const w = waiting.get(f.id);
      if (!w) continue;
      waiting.delete(f.id);
      w(f);
    }
  });
  socket.on('close', () => {
    for (const w of waiting.values()) w({ t: 'error', code: 'GONE', message: 'the endpoint closed' });
    waiting.clear();
  });
  return {
    ready,
    request(fields) {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        socket.write(frame({ ...fields, id }));
      });
    },
    close: () => socket.destroy(),
  };
}

async function run({ durationMs }) {
  const completions = [];
  const latencies = [];
  let errors = 0;
  let firstError = null;
  const started = performance.now();
  const deadline = started + durationMs;
  const slot = async (i) => {
    const s = setup.slots[i];
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const reply = await connections[i].request({
        t: 'post',
        op: 'turn',
        conversation: s.conversation,
        body: { as: s.as, expectedTurn: s.turn + 1, idempotencyKey: `${i}-${s.turn}-${randomBytes(6).toString('hex')}`, body: bodyFor(setup.bodyBytes) },
        waitMs: 30_000,
      });
      if (reply.t === 'reply' && reply.status === 201) {
        s.turn++;
        const t1 = performance.now();
        completions.push(t1 - started);
        latencies.push(t1 - t0);
      } else {
        errors++;
        firstError ??= JSON.stringify(reply).slice(0, 300);
        const turn = /next turn of \S+ is (\d+)/.exec(String(reply.message ?? ''));
        if (turn) s.turn = Number(turn[1]) - 1;
        if (reply.code === 'GONE') return;
      }
    }
  };
  await Promise.all(setup.slots.map((_, i) => slot(i)));
  return { completions, latencies, errors, firstError, elapsedMs: performance.now() - started, turns: setup.slots.map((s) => s.turn) };
}

process.on('message', async (/** @type {any} IPC from the benchmark */ msg) => {
  try {
    if (msg.cmd === 'setup') {
      setup = msg;
      for (const c of connections) c.close();
      connections = msg.slots.map((s) => endpointConnection(s.endpoint, s.secret));
      await Promise.all(connections.map((c) => c.ready));
      process.send({ reply: 'setup' });
    } else if (msg.cmd === 'run') {
      process.send({ reply: 'run', ...(await run(msg)) });
    } else if (msg.cmd === 'stop') {
      for (const c of connections) c.close();
      process.disconnect();
    }
  } catch (err) {
    process.send({ reply: msg.cmd, error: String(err?.stack ?? err) });
  }
});
