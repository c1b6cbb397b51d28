// Posts over an agent's link beyond what the shared rule table covers: a post sent again under
// its id (an agent resending its outbox) lands once, while the same receipt under another id (a
// second wake-up of the same turn) is a receipt of its own; a body over the HTTP limit is refused as HTTP refuses it,
// and a host over its request budget gets RATE_LIMITED with its link left open.
import { PROTOCOL_VERSION } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { describe, expect, it } from 'vitest';
import { relays } from '../__fixtures__/harness.js';

const r = relays();

describe('post frames on the agent link', () => {
  it('logs a receipt sent again under its id once, answering with its seq, and one under a new id again', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    await relay.join(host, 'claude-linux');
    const id = await relay.open(host, 'codex-linux', ['claude-linux']);
    const link = await r.link(relay, host.signer);
    await link.welcome();
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
