// Posts over an agent's link beyond what the shared rule table covers: a post sent again under
// its id (an agent resending its outbox) lands once, while the same receipt under another id (a
// second wake-up of the same turn) is a receipt of its own; a body over the HTTP limit is refused as HTTP refuses it,
// and a host over its request budget gets RATE_LIMITED with its link left open.
import { Socket } from 'node:net';
import { PROTOCOL_VERSION } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { describe, expect, it, vi } from 'vitest';
import { relays } from '../__fixtures__/harness.js';
import { bodyTooLarge, JSON_GROWTH, PostMemory } from './posts.js';

const r = relays();

/** A relay, a host with two sessions in a conversation, and that host's agent link, welcomed. */
async function linkedConversation() {
  const relay = await r.start();
  const host = await relay.enroll('linux-box');
  await relay.join(host, 'codex-linux');
  await relay.join(host, 'claude-linux');
  const id = await relay.open(host, 'codex-linux', ['claude-linux']);
  const link = await r.link(relay, host.signer);
  await link.welcome();
  return { relay, host, id, link };
}

describe('post frames on the agent link', () => {
  it('logs a receipt sent again under its id once, answering with its seq, and one under a new id again', async () => {
    const { relay, host, id, link } = await linkedConversation();
    const receipt = { session: 'claude-linux', conversation: id, turn: 1, status: 'delivered', attempt: 1 };
    link.send({ t: 'post', id: 'r1', op: 'receipt', body: receipt });
    const first = await link.waitForMessage((m) => m.id === 'r1', 'the first answer');
    expect(first).toMatchObject({ t: 'posted', status: 201, answer: { seq: expect.any(Number) } });
    const answers = () => link.messages.filter((m) => m.id === 'r1');
    link.send({ t: 'post', id: 'r1', op: 'receipt', body: receipt });
    await waitFor('the answer to the resend', () => answers().length === 2);
    expect(answers()[1]).toEqual(first);
    link.send({ t: 'post', id: 'r2', op: 'receipt', body: receipt });
    const second = await link.waitForMessage((m) => m.id === 'r2', 'the second answer');
    expect(second.answer.seq).toBeGreaterThan(first.answer.seq);
    const receipts = (await relay.request(host.signer, 'GET', `/v1/conversations/${id}/receipts`)).body.receipts;
    expect(receipts).toHaveLength(2);
  });

  it('refuses a body over the HTTP limit with BODY_TOO_LARGE, and a host over its budget with RATE_LIMITED, keeping the link', async () => {
    const relay = await r.start({ rateLimit: { perSecond: 0.001, burst: 3 } });
    const host = await relay.enroll('linux-box');
    const link = await r.link(relay, host.signer);
    await link.welcome();
    link.send({ t: 'post', id: 'big', op: 'open', body: { as: 'x', topic: 't', with: ['y'], body: 'a'.repeat(130 * 1024), idempotencyKey: 'k' } });
    expect(await link.waitForMessage((m) => m.id === 'big', 'the answer')).toMatchObject({ t: 'refused', status: 413, code: 'BODY_TOO_LARGE' });
    for (let i = 0; i < 4; i++) link.send({ t: 'post', id: `p${i}`, op: 'turn', conversation: 'none-abcd', body: {} });
    const last = await link.waitForMessage((m) => m.id === 'p3', 'the fourth answer');
    expect(last).toMatchObject({ t: 'refused', status: 429, code: 'RATE_LIMITED' });
    expect(link.closeCode).toBeNull();
  });

  it('answers the posts one fsync made durable in a few socket writes, not one write each, and each answer as before', async () => {
    const { relay, id, link } = await linkedConversation();
    // Every write of the relay's end of a connection that carries an answer to a post.
    const answerWrites: string[] = [];
    const note = (socket: Socket, chunks: Array<Buffer | string>) => {
      const text = chunks.map((c) => c.toString()).join('');
      if (socket.localPort === relay.relay.port && text.includes('"t":"posted"')) answerWrites.push(text);
    };
    const writev = Socket.prototype._writev as NonNullable<Socket['_writev']>;
    const write = Socket.prototype._write;
    vi.spyOn(Socket.prototype, '_writev').mockImplementation(function (this: Socket, chunks, cb) {
      note(
        this,
        chunks.map((c) => c.chunk),
      );
      return writev.call(this, chunks, cb);
    });
    vi.spyOn(Socket.prototype, '_write').mockImplementation(function (this: Socket, chunk, encoding, cb) {
      note(this, [chunk]);
      return write.call(this, chunk, encoding, cb);
    });
    try {
      const receipt = { session: 'claude-linux', conversation: id, turn: 1, status: 'delivered', attempt: 1 };
      for (let i = 0; i < 20; i++) link.send({ t: 'post', id: `r${i}`, op: 'receipt', body: receipt });
      await waitFor('the 20 answers', () => link.messages.filter((m) => m.t === 'posted').length === 20);
    } finally {
      vi.restoreAllMocks();
    }
    const answers = link.messages.filter((m) => m.t === 'posted');
    expect(answers.map((m) => m.id)).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    for (const a of answers) expect(a).toEqual({ t: 'posted', id: a.id, status: 201, answer: { seq: expect.any(Number) } });
    // Posts arriving together share an fsync, and their answers a write (a few fsyncs at most here).
    expect(answerWrites.join('').split('"t":"posted"').length - 1).toBe(20);
    expect(answerWrites.length).toBeLessThanOrEqual(5);
  });

  it('takes no post before the hello, nor on a watch link', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const early = await r.link(relay, host.signer, { hello: { t: 'post', id: 'x', op: 'open', body: {} } });
    expect((await early.closed).code).toBe(4003);
    const watch = await r.link(relay, host.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'watch', epoch: null, cursor: 0 } });
    await watch.welcome();
    watch.send({ t: 'post', id: 'w', op: 'open', body: {} });
    expect(await watch.waitForMessage((m) => m.t === 'error', 'an error')).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(watch.messages.some((m) => m.t === 'posted' || m.t === 'refused')).toBe(false);
  });
});

describe('the answers a link remembers', () => {
  it('keeps the latest answers up to its bound, forgetting the oldest first and refusals at once', async () => {
    const memory = new PostMemory(3);
    const ok = (n: number) => Promise.resolve({ status: 201, json: `{"n":${n}}` });
    for (let i = 1; i <= 3; i++) memory.set('h', `p${i}`, ok(i));
    const refused = Promise.reject(new Error('refused'));
    memory.set('h', 'p4', refused);
    await refused.catch(() => {});
    // The fourth answer pushed out the oldest; refused, it is forgotten itself.
    expect(['p1', 'p2', 'p3', 'p4'].map((id) => memory.get('h', id) !== undefined)).toEqual([false, true, true, false]);
    memory.set('h', 'p4', ok(4));
    memory.set('other-host', 'p1', ok(5));
    expect(['p1', 'p2', 'p3', 'p4'].map((id) => memory.get('h', id) !== undefined)).toEqual([false, false, true, true]);
    expect(await memory.get('other-host', 'p1')).toEqual({ status: 201, json: '{"n":5}' });
    // Thousands more: still the latest three, in order.
    for (let i = 5; i < 5000; i++) memory.set('h', `p${i}`, ok(i));
    expect(['p4996', 'p4997', 'p4998', 'p4999'].map((id) => memory.get('h', id) !== undefined)).toEqual([false, true, true, true]);
    expect(memory.get('other-host', 'p1')).toBeUndefined();
  });
});

describe('the body limit of a post frame', () => {
  const limit = 128 * 1024;

  it('is the HTTP limit on the body as JSON.stringify writes it, also when the frame wrote it shorter', () => {
    // `1e20` comes out as 21 digits: a frame of 32 KiB holds a body of about 150 KiB.
    const text = `[${Array.from({ length: 6500 }, () => '1e20').join(',')}]`;
    const body = JSON.parse(text) as unknown;
    expect(Buffer.byteLength(text)).toBeLessThan(limit / 4);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(limit);
    expect(bodyTooLarge(body, Buffer.byteLength(text) + 40)).toBe(true);
    const small = JSON.parse(`[${Array.from({ length: 6000 }, () => '1').join(',')}]`) as unknown;
    expect(bodyTooLarge(small, 12_100)).toBe(false);
    expect(bodyTooLarge({ body: 'a'.repeat(limit) }, limit + 20)).toBe(true);
    expect(bodyTooLarge({ body: 'a'.repeat(limit - 20) }, limit)).toBe(false);
  });

  it('never grows past JSON_GROWTH times the text it was read from', () => {
    const worst = ['1e20', '-1e20', '9E+20', '1e9', '5e-324', '"\\u00e9"', '"\\/"', '"\\u001f"', '"\\ud800"', '[ 1e20 , 1e20 ]', '{"a":1e20}'];
    for (const text of worst) expect(JSON.stringify(JSON.parse(text)).length).toBeLessThanOrEqual(JSON_GROWTH * text.length);
    // A stray byte is read as U+FFFD, three bytes.
    const stray = Buffer.from([0x22, 0xff, 0x22]);
    expect(Buffer.byteLength(JSON.stringify(JSON.parse(stray.toString())))).toBeLessThanOrEqual(JSON_GROWTH * stray.length);
  });
});
