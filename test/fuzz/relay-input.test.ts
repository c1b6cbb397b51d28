// Bad input against a running relay (a real process): thousands of malformed HTTP requests and
// WebSocket frames, hostile names everywhere a name goes. The relay must answer every one with a
// documented error (catalogued code, its status), never fail or crash, change nothing, and still
// hold a normal conversation afterwards. Seeded (CROSSTALK_FUZZ_SEED), and the seed is printed.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelayClient } from '@crosstalk/client';
import { generateEd25519, tokenSigner, type TokenSigner } from '@crosstalk/core/token';
import { readAdminKey } from '@crosstalk/relay';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { pickSeed, Procs, RelayProc } from '../harness/index.js';
import { enrollCases, httpCases, type HttpCase } from './http-cases.js';
import { errorBodyProblem, judgeHttp } from './judge.js';
import { sendHttp, WsSender, type Identities } from './senders.js';
import { wsCases, type WsCase } from './ws-cases.js';

const SEED = pickSeed(process.env.CROSSTALK_FUZZ_SEED);
const HTTP_CASES = 3600;
const WS_CASES = 1600;
const ENROLL_CASES = 12;
const HOSTS = 8;
const CHUNK = 200;

/** Cases drawn in chunks, so thousands of large bodies are never all in memory at once. */
function* draw<T>(arb: fc.Arbitrary<T>, seed: number, total: number): Generator<T> {
  for (let done = 0, chunk = 0; done < total; chunk++) {
    const n = Math.min(CHUNK, total - done);
    yield* fc.sample(arb, { seed: (seed + chunk * 7919) | 0, numRuns: n });
    done += n;
  }
}

async function pool<T>(items: Iterable<T>, width: number, run: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let next = it.next(); !next.done; next = it.next()) await run(next.value);
    }),
  );
}

/** Error-level lines (pino level ≥ 50) in the relay's output. */
function errorLines(logs: string): string[] {
  return logs.split('\n').filter((l) => /"level":(5\d|60)/.test(l));
}

describe(`relay input fuzzing (seed ${SEED})`, () => {
  const procs = new Procs();
  const dirs: string[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') process.stderr.write(`${procs.logs()}\n`);
    await procs.stopAll();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('answers every malformed request and frame with a documented error, changes nothing, and keeps serving', async () => {
    process.stdout.write(`relay fuzz seed=${SEED} (set CROSSTALK_FUZZ_SEED to repeat)\n`);
    const dir = await mkdtemp(join(tmpdir(), 'ct-fuzz-'));
    dirs.push(dir);
    const relay = await RelayProc.start(procs, { dataDir: join(dir, 'relay') });
    const admin = await relay.adminClient();

    // The world the cases aim at: hosts h0..h7 with one session each, and one conversation.
    const signers: TokenSigner[] = [];
    for (let i = 0; i < HOSTS; i++) {
      const { invite } = await admin.createInvite({ host: `h${i}` });
      const { privateJwk, publicJwk } = await generateEd25519();
      await createRelayClient({ relayUrl: relay.url }).enroll({ invite, host: `h${i}`, publicKey: publicJwk });
      const signer = await tokenSigner(privateJwk, `h${i}`, relay.relayId);
      signers.push(signer);
      await createRelayClient({ relayUrl: relay.url, signer }).registerSession({ name: `s${i}`, kind: 'other', wake: { type: 'none' } });
    }
    const client = (i: number) => createRelayClient({ relayUrl: relay.url, signer: signers[i] as TokenSigner });
    const opened = await client(0).openConversation({
      as: 's0',
      topic: 'fuzz target',
      with: ['s1'],
      body: 'opening',
      idempotencyKey: randomBytes(8).toString('hex'),
    });
    const conversation = opened.conversation.id;
    const headBefore = (await client(0).health()).head;
    const ids: Identities = { hosts: signers, admin: await tokenSigner(await readAdminKey(relay.dataDir), 'admin', relay.relayId), pacers: new Map() };

    const counts = { http: 0, ws: 0, names: 0, crashes: 0, undocumented: 0, accepted: 0 };
    const codes = new Map<string, number>();
    const failures: string[] = [];
    const fail = (kind: 'crash' | 'undocumented' | 'accepted', what: string) => {
      if (kind === 'crash') counts.crashes++;
      else if (kind === 'accepted') counts.accepted++;
      else counts.undocumented++;
      if (failures.length < 25) failures.push(`${kind}: ${what}`);
    };
    const tally = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);
    const shown = (c: HttpCase) =>
      `${c.kind} ${c.method} ${c.path.slice(0, 120)} auth=${c.auth.kind} type=${c.contentType} body=${JSON.stringify(c.body === null ? null : c.body.toString().slice(0, 160))}`;

    const runHttp = async (c: HttpCase) => {
      counts.http++;
      if (c.names) counts.names++;
      let answer: Awaited<ReturnType<typeof sendHttp>>;
      try {
        answer = await sendHttp(relay.url, ids, c);
      } catch (err) {
        fail('crash', `${shown(c)} → no answer: ${String((err as Error)?.cause ?? err)}`);
        return;
      }
      const verdict = judgeHttp(answer.status, answer.contentType, answer.text);
      if (verdict.ok) tally(verdict.code);
      else fail(verdict.kind, `${shown(c)} → ${verdict.detail}`);
    };

    await pool(draw(httpCases({ conversation }), SEED, HTTP_CASES), 8, runHttp);
    // Enrollment is limited per address (10, then one per 5 s): a few cases, answered by the limiter or the checks.
    await pool(draw(enrollCases(), SEED ^ 0xe11, ENROLL_CASES), 1, runHttp);
    expect(relay.proc.running, relay.logs()).toBe(true);

    const sender = new WsSender(relay.url, ids, () => ({ epoch: relay.epoch, cursor: headBefore }));
    const byHost = new Map<number, WsCase[]>();
    for (const c of draw(wsCases({ conversation, epoch: relay.epoch, head: headBefore, hosts: HOSTS }), SEED ^ 0x3e5, WS_CASES)) {
      const list = byHost.get(c.host) ?? [];
      list.push(c);
      byHost.set(c.host, list);
    }
    await Promise.all(
      [...byHost.values()].map(async (list) => {
        for (const c of list) {
          counts.ws++;
          if (c.names) counts.names++;
          const what = `${c.kind} h${c.host} ${JSON.stringify(c.data.toString().slice(0, 160))}`;
          let r: Awaited<ReturnType<typeof sender.send>>;
          try {
            r = await sender.send(c);
          } catch (err) {
            fail('crash', `${what} → ${String(err)}`);
            continue;
          }
          if (r.outcome === 'none') fail('undocumented', `${what} → ${r.detail}`);
          else if (!c.expect.includes(r.outcome))
            fail(r.outcome === 'resync' ? 'accepted' : 'undocumented', `${what} → ${JSON.stringify(r)}, expected ${c.expect.join('/')} ${c.codes.join('/')}`);
          else if (r.outcome === 'error') {
            const problem = errorBodyProblem(r.error);
            if (problem) fail('undocumented', `${what} → ${problem}: ${JSON.stringify(r.error)}`);
            else tally(String(r.error?.code));
          } else if (r.outcome === 'close') {
            if (!c.codes.includes(r.closeCode as number)) fail('undocumented', `${what} → closed ${r.closeCode}, expected ${c.codes.join('/')}`);
            else tally(`close ${r.closeCode}`);
          } else if (r.outcome === 'resync') {
            if (!r.resync) fail('undocumented', `${what} → welcome without resync`);
            else tally('welcome resync');
          }
        }
      }),
    );
    sender.close();

    // Still alive, nothing logged as an unexpected failure, and nothing changed.
    if (!relay.proc.running) counts.crashes++;
    const errors = errorLines(relay.logs());
    counts.crashes += errors.length;
    for (const e of errors.slice(0, 5)) failures.push(`relay logged: ${e.slice(0, 400)}`);
    const headAfter = (await client(0).health()).head;

    const byCode = [...codes.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c}=${n}`)
      .join(' ');
    process.stdout.write(
      `http=${counts.http} ws=${counts.ws} names=${counts.names} crashes=${counts.crashes} undocumented=${counts.undocumented} accepted=${counts.accepted}\n`,
    );
    process.stdout.write(`answers: ${byCode}\n`);

    expect(failures).toEqual([]);
    // A normal conversation afterwards: turns, a proposal, agreement, the copy.
    const c1 = client(1);
    await c1.postTurn(conversation, { as: 's1', expectedTurn: 2, idempotencyKey: randomBytes(8).toString('hex'), body: 'after the storm' });
    await client(0).postTurn(conversation, { as: 's0', expectedTurn: 3, idempotencyKey: randomBytes(8).toString('hex'), body: 'Ship it?', propose: 'ship it' });
    const agreed = await c1.postTurn(conversation, { as: 's1', expectedTurn: 4, idempotencyKey: randomBytes(8).toString('hex'), body: 'Agreed.', agree: true });
    const markdown = await c1.getMarkdown(conversation);
    const second = await client(2).openConversation({
      as: 's2',
      topic: 'still here',
      with: ['s3'],
      body: 'hello again',
      idempotencyKey: randomBytes(8).toString('hex'),
    });

    expect(counts.http + counts.ws).toBeGreaterThanOrEqual(5000);
    expect(headAfter).toBe(headBefore);
    expect(agreed.conversation.status).toBe('converged');
    expect(markdown).toContain('after the storm');
    expect(markdown).toContain('## Decision');
    expect(second.turn?.n).toBe(1);
  });
});
