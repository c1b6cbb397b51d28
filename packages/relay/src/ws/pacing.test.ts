// Frame pacing: links that follow the head share a frame budget, and a burst of commits reaches
// every link exactly once and in order however the events are grouped into frames.
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { relays, type TestHost, type TestLink } from '../__fixtures__/harness.js';
import { FRAME_INTERVAL_MS, frameInterval, framePause } from './pacing.js';

const r = relays();

describe('frame pacing', () => {
  it('spreads the frame budget over the links, within bounds', () => {
    expect(frameInterval(1, 10_000)).toBe(FRAME_INTERVAL_MS.min);
    expect(frameInterval(200, 10_000)).toBe(20);
    expect(frameInterval(100_000, 10_000)).toBe(FRAME_INTERVAL_MS.max);
  });

  it('sends at once after a quiet spell, and waits out the interval after a recent frame', () => {
    expect(framePause(-Infinity, 1_000, 20)).toBe(0);
    expect(framePause(900, 1_000, 20)).toBe(0);
    expect(framePause(990, 1_000, 20)).toBe(10);
  });

  it('delivers a burst from several conversations to every link exactly once, in order', async () => {
    const relay = await r.start();
    const hosts: TestHost[] = [];
    for (const name of ['host-a', 'host-b', 'host-c', 'host-d']) {
      const host = await relay.enroll(name);
      await relay.join(host, `${name}-one`);
      await relay.join(host, `${name}-two`);
      hosts.push(host);
    }
    const links: TestLink[] = [];
    for (const host of hosts) {
      links.push(await r.link(relay, host.signer));
      for (let i = 0; i < 2; i++)
        links.push(await r.link(relay, host.signer, { hello: { t: 'hello', protocol: PROTOCOL_VERSION, role: 'watch', epoch: null, cursor: 0 } }));
    }
    // Four conversations, each posted to as fast as its turns allow, all at once.
    const heads = await Promise.all(
      hosts.map(async (host) => {
        const id = await relay.open(host, `${host.name}-one`, [`${host.name}-two`]);
        let seq = 0;
        for (let turn = 2; turn <= 12; turn++) {
          const as = turn % 2 === 0 ? `${host.name}-two` : `${host.name}-one`;
          const res = await relay.request(host.signer, 'POST', `/v1/conversations/${id}/turns`, {
            as,
            expectedTurn: turn,
            idempotencyKey: randomBytes(8).toString('hex'),
            body: `turn ${turn}`,
          });
          expect(res.status).toBe(201);
          seq = res.body.seq;
        }
        return seq;
      }),
    );
    const head = Math.max(...heads);
    for (const link of links) {
      await link.waitForSeq(head);
      expect(link.events.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    }
  });
});
