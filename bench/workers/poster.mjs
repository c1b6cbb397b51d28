// The load generator for durable posts, in its own process. Each slot posts turns, one after
// another, into its own conversation as that conversation's moderator, with a fresh pre-minted
// token per request. Over IPC: `mint` (tokens for the coming run), `run` (post for a while).
// Turn bodies start with the send time (for end-to-end delay) and are padded to `bodyBytes`.
import { randomBytes } from 'node:crypto';
import { bodyFor } from '../lib/body.mjs';
import { connection } from '../lib/http.mjs';
import { fastSigner } from '../lib/tokens.mjs';

let setup = null;
/** One keep-alive connection per slot. */
let connections = [];
const tokens = [];

async function run({ durationMs, maxPosts }) {
  const completions = [];
  const latencies = [];
  let errors = 0;
  let firstError = null;
  let posted = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const slot = async (i) => {
    const s = setup.slots[i];
    const queue = tokens[i];
    while (performance.now() < deadline && queue.length > 0 && posted < maxPosts) {
      posted++;
      const body = JSON.stringify({
        as: s.as,
        expectedTurn: s.turn + 1,
        idempotencyKey: `${i}-${s.turn}-${randomBytes(6).toString('hex')}`,
        body: bodyFor(setup.bodyBytes),
      });
      const t0 = performance.now();
      try {
        const res = await connections[i].request('POST', `/v1/conversations/${s.conversation}/turns`, queue.pop(), body);
        if (res.status === 201) {
          s.turn++;
          const t1 = performance.now();
          completions.push(t1 - started);
          latencies.push(t1 - t0);
        } else {
          errors++;
          firstError ??= `${res.status} ${res.text.slice(0, 300)}`;
          if (res.status === 409) {
            const turn = /next turn of \S+ is (\d+)/.exec(res.text);
            if (turn) s.turn = Number(turn[1]) - 1;
          }
        }
      } catch (err) {
        errors++;
        firstError ??= String(err);
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
      connections = msg.slots.map(() => connection(msg.url));
      const signers = new Map();
      for (const s of msg.slots) if (!signers.has(s.host.name)) signers.set(s.host.name, fastSigner(s.host.privateJwk, s.host.name, msg.relayId));
      setup.signers = signers;
      process.send({ reply: 'setup' });
    } else if (msg.cmd === 'mint') {
      const t = performance.now();
      tokens.length = 0;
      for (const s of setup.slots) {
        const signer = setup.signers.get(s.host.name);
        const list = [];
        for (let k = 0; k < msg.perSlot; k++) list.push(signer.mint());
        tokens.push(list);
      }
      process.send({ reply: 'mint', ms: performance.now() - t });
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
