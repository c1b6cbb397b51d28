// The link against a real relay through a proxy that loses, garbles and cuts frames: the agent
// repairs every hole by replay or reconnect, and its copy never loses or repeats a turn.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@crosstalk/core/test-support';
import { key, Lab, readOr, type Home } from '../__fixtures__/lab.js';
import { LinkProxy, type ProxyRules } from '../__fixtures__/link-proxy.js';
import { copyPath } from '../copies/copies.js';
import { readAgentStatus } from '../run/status.js';

let lab: Lab;
let proxy: LinkProxy | undefined;
beforeEach(async () => {
  lab = await Lab.start();
});
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await lab.cleanup();
});

async function viaProxy(name: string, rules: ProxyRules): Promise<Home> {
  proxy = await LinkProxy.start(lab.url, rules);
  const home = await lab.home(name, { relayUrl: proxy.url });
  await home.client.registerSession({ name: `${name}-a`, kind: 'other', wake: { type: 'none' } });
  await home.client.registerSession({ name: `${name}-b`, kind: 'other', wake: { type: 'none' } });
  return home;
}

async function copyMatches(home: Home, id: string): Promise<string> {
  return waitFor(
    `the copy of ${id} to match the relay`,
    async () => {
      const relay = await home.client.getMarkdown(id);
      return (await readOr(copyPath(home.config.conversationsDir, id))) === relay && relay;
    },
    { logs: () => lab.logs() },
  );
}

const turnCounts = (copy: string, turns: number) => Array.from({ length: turns }, (_, i) => copy.split(`\nTurn ${i + 1}/`).length - 1);
const sent = (p: LinkProxy, t: string) =>
  p.fromAgent.filter((m) => JSON.parse(m.message).t === t).map((m) => ({ connection: m.connection, ...JSON.parse(m.message) }));

describe('link repair', () => {
  it('asks for a replay when an event went missing, and ignores garbage', async () => {
    let dropped = false;
    let garbled = false;
    const home = await viaProxy('lossy', {
      fromRelay(frame) {
        if (!dropped && frame.includes('"body":"lost on the way"')) {
          dropped = true;
          return 'drop';
        }
        if (!garbled && frame.includes('"body":"garbled"')) {
          garbled = true;
          return { replace: '{"t":"events","events":[{"seq":"x","type":"turn.posted"}]}' };
        }
        return 'pass';
      },
    });
    lab.runEntry(home);
    const opened = await home.client.openConversation({ as: 'lossy-a', topic: 'gaps', with: ['lossy-b'], maxTurns: 50, body: 'one', idempotencyKey: key() });
    const id = opened.conversation.id;
    await copyMatches(home, id);
    const lost = await home.client.postTurn(id, { as: 'lossy-b', expectedTurn: 2, idempotencyKey: key(), body: 'lost on the way' });
    await home.client.postTurn(id, { as: 'lossy-a', expectedTurn: 3, idempotencyKey: key(), body: 'reveals the hole' });
    expect(turnCounts(await copyMatches(home, id), 3)).toEqual([1, 1, 1]);
    expect(dropped).toBe(true);
    // Everything before the lost event was applied; the replay starts right after it.
    expect(sent(proxy!, 'replay')).toEqual([{ connection: 1, t: 'replay', after: lost.seq - 1 }]);

    await home.client.postTurn(id, { as: 'lossy-b', expectedTurn: 4, idempotencyKey: key(), body: 'garbled' });
    await home.client.postTurn(id, { as: 'lossy-a', expectedTurn: 5, idempotencyKey: key(), body: 'after the garbage' });
    expect(turnCounts(await copyMatches(home, id), 5)).toEqual([1, 1, 1, 1, 1]);
    expect(garbled).toBe(true);
    expect(proxy!.connections).toBe(1);
  });

  it('resumes from its cursor when the link drops in the middle of a replay', async () => {
    const home = await viaProxy('cut', {
      // Connection 1: welcome, two frames of the replay, then nothing more gets through; the
      // line goes dead once the agent has applied what it got (cut below).
      fromRelay: (_frame, n, connection) => (connection === 1 && n >= 4 ? 'drop' : 'pass'),
    });
    const opened = await home.client.openConversation({ as: 'cut-a', topic: 'long', with: ['cut-b'], maxTurns: 100, body: 'start', idempotencyKey: key() });
    const id = opened.conversation.id;
    const filler = 'x'.repeat(12 * 1024);
    for (let n = 2; n <= 40; n++) {
      await home.client.postTurn(id, { as: n % 2 === 0 ? 'cut-b' : 'cut-a', expectedTurn: n, idempotencyKey: key(), body: `turn ${n}\n${filler}` });
    }
    const head = (await home.client.health()).head;
    lab.runEntry(home);
    await waitFor('the agent to apply the first frames of the replay', async () => ((await readAgentStatus(home.layout)).status?.cursor ?? 0) > 0, {
      logs: () => lab.logs(),
    });
    proxy!.cut(1);
    const copy = await copyMatches(home, id);
    expect(turnCounts(copy, 40)).toEqual(Array(40).fill(1));
    const hellos = sent(proxy!, 'hello');
    expect(hellos.length).toBeGreaterThanOrEqual(2);
    expect(hellos[0]).toMatchObject({ connection: 1, cursor: 0 });
    // The second connection resumed from what the first one had applied, not from zero.
    expect(hellos[1]!.cursor).toBeGreaterThan(0);
    expect(hellos[1]!.cursor).toBeLessThan(head);
  });

  it('drops a link on which the relay went silent, and reconnects', async () => {
    let quiet = false;
    const home = await viaProxy('mute', { silent: (connection) => quiet && connection === 1 });
    lab.runEntry(home);
    const opened = await home.client.openConversation({ as: 'mute-a', topic: 'silence', with: ['mute-b'], body: 'one', idempotencyKey: key() });
    const id = opened.conversation.id;
    await copyMatches(home, id);
    quiet = true;
    await home.client.postTurn(id, { as: 'mute-b', expectedTurn: 2, idempotencyKey: key(), body: 'said into the void' });
    expect(turnCounts(await copyMatches(home, id), 2)).toEqual([1, 1]);
    expect(proxy!.connections).toBe(2);
  });
});
