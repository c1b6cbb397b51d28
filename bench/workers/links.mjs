// Many light agent links in one process, speaking the real protocol: a signed upgrade, hello,
// the relay's event frames, acks. Frames are counted without a full parse (seqs are contiguous:
// first and last seq give the count); a few links parse every frame to measure delivery delay
// from the send time stamped at the start of each turn body.
import { PROTOCOL_VERSION } from '@crosstalk/core';
import { WebSocket } from 'ws';
import { nowMs } from '../lib/body.mjs';
import { pool } from '../lib/pool.mjs';
import { fastSigner } from '../lib/tokens.mjs';

const links = [];
let events = 0;
let frames = 0;
let delays = [];
let ackTimer = null;
let closedEarly = 0;
/** Delivered-event counts sampled every `sampleMs` since the last reset: [ms since reset, events]. */
let series = [];
let sampler = null;

const SEQ = '{"seq":';

function seqAt(text, i) {
  let n = 0;
  for (let j = i + SEQ.length; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

function onFrame(link, data) {
  const text = data.toString('utf8');
  if (!text.startsWith('{"t":"events"')) {
    const msg = JSON.parse(text);
    if (msg.t === 'welcome') link.welcome(msg);
    else if (msg.t === 'error') link.lastError = msg;
    return;
  }
  const first = text.indexOf(SEQ);
  const last = text.lastIndexOf(SEQ);
  const a = seqAt(text, first);
  const b = seqAt(text, last);
  frames++;
  if (b > link.seq) {
    events += b - Math.max(a - 1, link.seq);
    link.seq = b;
  }
  if (link.measure) {
    const at = nowMs();
    for (const e of JSON.parse(text).events) {
      if (e.type !== 'turn.posted') continue;
      const m = /^t=(\d+\.\d+) /.exec(e.turn.body);
      if (m) delays.push(at - Number(m[1]));
    }
  }
}

function connect(url, relayId, host, cursor, measure) {
  return new Promise((resolve, reject) => {
    const token = fastSigner(host.privateJwk, host.name, relayId).mint();
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/link`, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
      maxPayload: 256 * 1024,
    });
    const link = { ws, seq: cursor, measure, lastError: null, welcome: resolve.bind(null, null) };
    link.welcome = () => resolve(link);
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: null, cursor })));
    ws.on('message', (data) => onFrame(link, data));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('close', () => {
      if (!link.closing) closedEarly++;
    });
    links.push(link);
  });
}

process.on('message', async (/** @type {any} IPC from the benchmark */ msg) => {
  try {
    if (msg.cmd === 'connect') {
      const t = performance.now();
      await pool(msg.hosts, msg.concurrency ?? 20, (host, i) => connect(msg.url, msg.relayId, host, msg.cursor ?? 0, i < (msg.measure ?? 0)));
      ackTimer ??= setInterval(() => {
        for (const l of links) if (l.ws.readyState === WebSocket.OPEN && l.seq > 0) l.ws.send(`{"t":"ack","seq":${l.seq}}`);
      }, 500);
      process.send({ reply: 'connect', links: links.length, ms: performance.now() - t });
    } else if (msg.cmd === 'reset') {
      events = 0;
      frames = 0;
      delays = [];
      series = [];
      clearInterval(sampler);
      const t0 = performance.now();
      sampler = setInterval(() => series.push([performance.now() - t0, events]), msg.sampleMs ?? 250);
      process.send({ reply: 'reset', at: nowMs() });
    } else if (msg.cmd === 'stats') {
      const seqs = links.map((l) => l.seq);
      process.send({
        reply: 'stats',
        at: nowMs(),
        events,
        frames,
        delays,
        series,
        minSeq: Math.min(...seqs),
        maxSeq: Math.max(...seqs),
        open: links.filter((l) => l.ws.readyState === WebSocket.OPEN).length,
        closedEarly,
      });
    } else if (msg.cmd === 'stop') {
      clearInterval(ackTimer);
      clearInterval(sampler);
      for (const l of links) {
        l.closing = true;
        l.ws.terminate();
      }
      process.disconnect();
    }
  } catch (err) {
    process.send({ reply: msg.cmd, error: String(err?.stack ?? err) });
  }
});
