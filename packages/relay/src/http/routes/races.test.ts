// Concurrent posts: optimistic concurrency and idempotency hold under real parallel requests.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relays } from '../../__fixtures__/harness.js';

const r = relays();

describe('concurrent posts', () => {
  it('lets exactly one of 20 posts expecting the same turn through', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    await relay.join(host, 'claude-linux');
    const id = await relay.open(host, 'codex-linux', ['claude-linux']);
    // The moderator may always post, so every request passes the turn check but one wins the race.
    const tokens = await Promise.all(Array.from({ length: 20 }, () => host.signer.mint()));
    const answers = await Promise.all(
      tokens.map((token, i) =>
        relay.request(`Bearer ${token}`, 'POST', `/v1/conversations/${id}/turns`, {
          as: 'codex-linux',
          expectedTurn: 2,
          idempotencyKey: `race-${i}`,
          body: `attempt ${i}`,
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    const lost = answers.filter((a) => a.status !== 201);
    expect(won).toHaveLength(1);
    expect(lost.map((a) => [a.status, a.body.code])).toEqual(Array.from({ length: 19 }, () => [409, 'TURN_CONFLICT']));
    const conv = await relay.request(host.signer, 'GET', `/v1/conversations/${id}`);
    expect(conv.body.conversation.turns.map((t: { n: number; body: string }) => [t.n, t.body])).toEqual([
      [1, 'hello'],
      [2, won[0]?.body.turn.body],
    ]);
  });

  it('turns 100 concurrent posts with one idempotency key into one turn', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    await relay.join(host, 'claude-linux');
    const id = await relay.open(host, 'codex-linux', ['claude-linux']);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => host.signer.mint()));
    const body = { as: 'claude-linux', expectedTurn: 2, idempotencyKey: 'the-one-key', body: 'said once' };
    const answers = await Promise.all(tokens.map((token) => relay.request(`Bearer ${token}`, 'POST', `/v1/conversations/${id}/turns`, body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(99);
    const first = answers.find((a) => a.status === 201)?.body;
    for (const a of answers) {
      expect(a.body.turn).toEqual(first.turn);
      expect(a.body.seq).toBe(first.seq);
      expect(a.body.conversation.id).toBe(id);
      expect(a.body.duplicate).toBe(a.status === 200);
    }
    const log = await readFile(join(relay.dataDir, 'events.log'), 'utf8');
    expect(log.split('\n').filter((l) => l.includes('"type":"turn.posted"'))).toHaveLength(1);
  });
});
