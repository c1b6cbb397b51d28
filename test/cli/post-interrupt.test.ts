// Ctrl-C while a post waits for the relay's acknowledgement: the CLI ends at once (exit 130) and
// says what becomes of the post — a turn this host's agent kept stays queued in its outbox and is
// posted when the relay is back, once. `crosstalk agent status` shows what the outbox holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type Host, type Lab } from '../harness/index.js';
import { twoHosts } from './two-hosts.js';

const FAST = { backoff: { baseMs: 50, capMs: 500 } };
let lab: Lab;
let alpha: Host;
let beta: Host;

beforeAll(async () => {
  // A short reconnect backoff: the test stops and starts the relay.
  ({ lab, alpha, beta } = await twoHosts('post-interrupt', undefined, { tuning: FAST }));
}, 120_000);
afterAll(() => lab?.cleanup());

type Outbox = { posts: number; oldest: string | null };

async function outbox(host: Host): Promise<{ data: Outbox; line: string }> {
  const json = await host.run(['agent', 'status', '--json']);
  expect(json.exitCode, explain(json)).toBe(0);
  const text = await host.run(['agent', 'status']);
  expect(text.exitCode, explain(text)).toBe(0);
  return { data: json.json<{ outbox: Outbox }>().outbox, line: text.stdout.split('\n').find((l) => l.startsWith('outbox:')) ?? '' };
}

describe('Ctrl-C while a post waits for the relay', () => {
  it('says the turn stays queued in the agent, which posts it once the relay is back; agent status shows it', async () => {
    const relay = lab.relay;
    if (!relay) throw new Error('no relay');
    const opened = await alpha.run(['open', '--as', 'a1', '--topic', 'interrupted', '--with', 'b1', '--body', 'first']);
    expect(opened.exitCode, explain(opened)).toBe(0);
    const id = opened.stdout.trim();
    expect(await outbox(beta)).toEqual({ data: { posts: 0, oldest: null }, line: 'outbox: no post waiting for the relay' });

    await relay.kill9();
    const human = lab.spawn('reply (human)', beta.home, ['reply', id, '--as', 'b1', '--expect-turn', '2', '--body', 'kept through Ctrl-C']);
    const json = lab.spawn('reply (json)', beta.home, ['reply', id, '--as', 'b1', '--expect-turn', '2', '--body', 'kept through Ctrl-C', '--json']);
    // The progress line says the agent keeps it: from then on the post is the agent's.
    await lab.waitFor('both replies to say the agent keeps the turn', () => [human, json].every((p) => p.stderr().includes("kept in this host's agent")));
    const [h, j] = await Promise.all([human.stop('SIGINT'), json.stop('SIGINT')]);
    expect(h.exitCode, human.logs()).toBe(130);
    expect(human.stderr()).toContain(
      "crosstalk: interrupted before the relay acknowledged the turn; it stays queued in this host's agent's outbox on disk and is posted when the relay takes it, once [POST_INTERRUPTED]",
    );
    expect(human.stdout()).toBe('');
    expect(j.exitCode, json.logs()).toBe(130);
    expect(JSON.parse(json.stdout())).toMatchObject({ error: { code: 'POST_INTERRUPTED', details: { post: 'queued' } } });

    const held = await outbox(beta);
    expect(held.data.posts).toBe(2);
    expect(held.line).toMatch(/^outbox: 2 posts waiting for the relay's acknowledgement \(the oldest taken at \S+\); sent when the link is up$/);

    await lab.restartRelay();
    await lab.waitFor('the outbox to empty', async () => (await outbox(beta)).data.posts === 0);
    const read = await alpha.run(['read', id, '--json']);
    const turns = read.json<{ conversation: { turns: Array<{ body: string }> } }>().conversation.turns;
    // Two invocations, two idempotency keys, one expected turn: the first lands, the second conflicts.
    expect(turns.map((t) => t.body)).toEqual(['first', 'kept through Ctrl-C']);
  });
});
