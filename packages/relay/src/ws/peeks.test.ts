// Remote peeks at the relay: asked of the session's host agent on its link, answered only by that
// host, refused as that agent says, and failed when no agent is linked or none answers in time.
import { describe, expect, it } from 'vitest';
import { PeekBroker } from './peeks.js';

type Frame = { t: 'peek'; id: string; by: string; session: string; lines: number };

function broker(linked = true) {
  const sent: Array<{ host: string; frame: Frame }> = [];
  const b = new PeekBroker();
  b.attach((host, frame) => {
    if (!linked) return false;
    sent.push({ host, frame });
    return true;
  });
  return { b, sent };
}

const asked = { host: 'beta', by: 'alpha', session: 'helper', lines: 20, timeoutMs: 2_000 };

describe('remote peeks', () => {
  it("hands the asked host's answer to the request, and no other host's", async () => {
    const { b, sent } = broker();
    const answer = b.ask(asked);
    expect(sent).toEqual([{ host: 'beta', frame: { t: 'peek', id: expect.stringMatching(/^[0-9a-f]{24}$/), by: 'alpha', session: 'helper', lines: 20 } }]);
    const id = sent[0]!.frame.id;
    expect(() => b.answer('gamma', { t: 'peeked', id, lines: ['forged'] })).toThrow(/no peek .* was asked of host gamma/);
    b.answer('beta', { t: 'peeked', id, lines: ['a', 'b'] });
    expect(await answer).toEqual(['a', 'b']);
    // Answered once: a second answer finds nothing waiting.
    expect(() => b.answer('beta', { t: 'peeked', id, lines: [] })).toThrow();
  });

  it("refuses as the host's agent says, with its rule", async () => {
    const { b, sent } = broker();
    const answer = b.ask(asked);
    b.answer('beta', { t: 'peeked', id: sent[0]!.frame.id, error: { code: 'SPAWN_REFUSED', message: 'alpha may not', rule: 'peek-not-allowed' } });
    await expect(answer).rejects.toMatchObject({ code: 'SPAWN_REFUSED', details: { rule: 'peek-not-allowed' } });
  });

  it('fails PEEK_UNAVAILABLE without a linked agent, and PEEK_TIMEOUT when none answers in time', async () => {
    await expect(broker(false).b.ask(asked)).rejects.toMatchObject({ code: 'PEEK_UNAVAILABLE' });
    await expect(broker().b.ask({ ...asked, timeoutMs: 50 })).rejects.toMatchObject({ code: 'PEEK_TIMEOUT' });
  });
});
