// Writes a relay event log directly in its on-disk format (`<crc32 hex> <event JSON>\n`), shaped
// like real use: hosts and sessions enrolled first, then many conversations interleaved, each a
// 20-turn exchange between two sessions, every turn followed by its wake-up receipt, closed at
// the end. Events have exactly the shapes the relay's rules produce, so the relay folds them as
// its own. Deterministic: the same count gives the same file.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { initDataDir } from '@crosstalk/relay';
import { seeded } from '@crosstalk/core/test-support';
import { generateEd25519 } from '@crosstalk/core/token';

const HOSTS = 10;
const SESSIONS_PER_HOST = 2;
/** Conversations in flight at once; their events interleave like concurrent talks. */
const ACTIVE = 40;
const TURNS = 20;

const WORDS =
  'the relay log turn agent pane wake copy host session fsync commit replay cursor epoch test build schema port error fix review patch merge diff version torch cuda'.split(
    ' ',
  );

/** Plain text that turn bodies are cut from. */
function corpus(rand) {
  let s = '';
  while (s.length < 256 * 1024) s += `${WORDS[Math.floor(rand() * WORDS.length)]}${rand() < 0.08 ? '.\n' : ' '}`;
  return s;
}

/** Turn bodies of 60 to 1,660 bytes, skewed small like chat turns (median ~250 B, mean ~530 B), or all of `fixed` bytes. */
function bodyOf(rand, text, fixed) {
  const length = fixed ?? Math.round(60 + 1600 * rand() ** 2.4);
  const from = Math.floor(rand() * (text.length - length));
  return text.slice(from, from + length);
}

/** Bump when the generator changes, so a stale cache is not reused. */
const GENERATOR_VERSION = 2;

/**
 * A data dir whose log holds `events` events (turn bodies of `bodyBytes` each, or the usual mix),
 * generated once and cached under the system temp dir, since the generator is deterministic.
 */
/**
 * @param {number} events
 * @param {(text: string) => void} progress
 * @param {{ bodyBytes?: number }} [options]
 */
export async function cachedLog(events, progress, { bodyBytes } = {}) {
  const name = `log-${events}${bodyBytes === undefined ? '' : `-b${bodyBytes}`}-v${GENERATOR_VERSION}`;
  const dir = join(tmpdir(), 'crosstalk-bench-cache', name);
  const marker = join(dir, 'generated.json');
  if (existsSync(marker)) return { dataDir: join(dir, 'relay'), info: JSON.parse(await readFile(marker, 'utf8')), cached: true };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const dataDir = join(dir, 'relay');
  await initDataDir(dataDir);
  progress(`generating a log of ${events.toLocaleString('en-US')} events${bodyBytes === undefined ? '' : ` with ${bodyBytes}-byte bodies`}`);
  const info = await writeLog(join(dataDir, 'events.log'), events, { bodyBytes });
  await writeFile(marker, JSON.stringify(info));
  return { dataDir, info, cached: false };
}

/**
 * @param {string} file
 * @param {number} count
 * @param {{ startMs?: number, bodyBytes?: number }} [options]
 */
export async function writeLog(file, count, { startMs = Date.UTC(2026, 0, 5), bodyBytes: fixedBodyBytes } = {}) {
  const rand = seeded(count);
  const text = corpus(rand);
  const out = createWriteStream(file, { highWaterMark: 4 * 1024 * 1024 });
  let seq = 0;
  let clock = startMs;
  let bytes = 0;
  let bodyBytes = 0;
  let turns = 0;
  let conversations = 0;
  let pending = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (!out.write(pending.join(''))) await new Promise((r) => out.once('drain', () => r(undefined)));
    pending = [];
    pendingBytes = 0;
  };
  const emit = async (event) => {
    seq++;
    clock += 7;
    // Keys in the order the relay writes them: seq, type, at, then the rest.
    const json = JSON.stringify({ seq, type: event.type, at: new Date(clock).toISOString(), ...event });
    const line = `${(crc32(json) >>> 0).toString(16).padStart(8, '0')} ${json}\n`;
    bytes += Buffer.byteLength(line);
    pending.push(line);
    pendingBytes += line.length;
    if (pendingBytes > 1 << 20) await flush();
  };

  const sessions = [];
  for (let h = 0; h < HOSTS && seq < count; h++) {
    const host = `host-${h}`;
    const invite = `inv${String(h).padStart(5, '0')}`;
    await emit({ type: 'invite.created', invite, hash: '0'.repeat(64), host, expiresAt: '2026-01-05T01:00:00.000Z' });
    await emit({ type: 'host.enrolled', host, publicKey: (await generateEd25519()).publicJwk, invite });
    for (let s = 0; s < SESSIONS_PER_HOST && seq < count; s++) {
      const name = `${host}-s${s}`;
      sessions.push({ name, host });
      await emit({
        type: 'session.registered',
        session: { name, host, kind: s === 0 ? 'claude-code' : 'codex', wake: { type: 'none' }, joinedAt: new Date(clock).toISOString() },
      });
    }
  }

  const active = [];
  let k = 0;
  while (seq < count) {
    while (active.length < ACTIVE) {
      const a = sessions[Math.floor(rand() * sessions.length)];
      let b = sessions[Math.floor(rand() * sessions.length)];
      if (b.name === a.name) b = sessions[(sessions.indexOf(a) + 1) % sessions.length];
      active.push({
        id: `topic-${(++conversations).toString(36)}-${Math.floor(rand() * 0xffff)
          .toString(16)
          .padStart(4, '0')}`,
        a,
        b,
        n: 0,
        receipted: true,
      });
    }
    const i = Math.floor(rand() * active.length);
    const c = active[i];
    const at = new Date(clock + 7).toISOString();
    if (!c.receipted) {
      const target = c.n % 2 === 1 ? c.b : c.a;
      await emit({ type: 'receipt', receipt: { session: target.name, host: target.host, conversation: c.id, turn: c.n + 1, status: 'delivered', attempt: 1 } });
      c.receipted = true;
      continue;
    }
    if (c.n === TURNS) {
      await emit({ type: 'conversation.closed', conversation: c.id, by: c.a.name, resolution: 'done: agreed on the plan' });
      active.splice(i, 1);
      continue;
    }
    const author = c.n % 2 === 0 ? c.a : c.b;
    const other = author === c.a ? c.b : c.a;
    const body = bodyOf(rand, text, fixedBodyBytes);
    bodyBytes += Buffer.byteLength(body);
    turns++;
    c.n++;
    const atLimit = c.n >= TURNS;
    const next = atLimit ? [c.a.name] : [other.name];
    const turn = { n: c.n, author: author.name, host: author.host, at, body, next };
    const key = `${author.host}:k${(++k).toString(36)}`;
    if (c.n === 1) {
      const participants = [c.a.name, c.b.name];
      const conversation = {
        id: c.id,
        topic: `${WORDS[k % WORDS.length]} question ${k}`,
        openedBy: c.a.name,
        openedAt: at,
        participants,
        moderator: c.a.name,
        status: 'in-progress',
        maxTurns: TURNS,
        next,
        turns: [turn],
        notes: [],
        proposal: null,
        decision: null,
        resolution: null,
        seq: 0,
      };
      await emit({ type: 'conversation.opened', conversation, key });
    } else {
      await emit({ type: 'turn.posted', conversation: c.id, turn, status: atLimit ? 'at-limit' : 'in-progress', next, proposal: null, decision: null, key });
    }
    c.receipted = false;
  }
  await flush();
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
  return { events: seq, bytes, turns, conversations, meanRecordBytes: Math.round(bytes / seq), meanBodyBytes: Math.round(bodyBytes / Math.max(1, turns)) };
}
