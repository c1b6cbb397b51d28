// Posts through the host's own agent: `reply` and friends hand the post to the agent over its local
// endpoint, which sends it over its link; with no agent, or an agent that dies mid-post, the CLI
// posts straight to the relay with the same idempotency key, so no turn lands twice. A relay that
// is down leaves the post kept in the agent, which sends it when the relay is back. And a home that
// holds nothing but the endpoint's socket and secret (a container with the socket mounted) posts
// through the agent of the home it came from.
import { copyFile, link, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type AgentProc, type Host, type Lab } from '../harness/index.js';
import { type TwoHosts, twoHosts } from './two-hosts.js';

const FAST = { backoff: { baseMs: 50, capMs: 500 } };
let lab: Lab;
let alpha: Host;
let beta: Host;
let agent: AgentProc;
let open: TwoHosts['open'];

beforeAll(async () => {
  // A short reconnect backoff: these tests stop and start the relay.
  ({
    lab,
    alpha,
    beta,
    agents: { alpha: agent },
    open,
  } = await twoHosts('fast-path', undefined, { tuning: FAST }));
});
afterAll(() => lab?.cleanup());

async function turns(id: string): Promise<Array<{ n: number; author: string; body: string }>> {
  const r = await beta.run(['read', id, '--json']);
  expect(r.exitCode, explain(r)).toBe(0);
  return r.json<{ conversation: { turns: Array<{ n: number; author: string; body: string }> } }>().conversation.turns;
}

describe('posting through the agent', () => {
  it('reply goes through the running agent, with no --expect-turn read from its copy', async () => {
    const id = await open('through the agent');
    const r = await beta.run(['reply', id, '--as', 'b1', '--body', 'via b', '--verbose', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr).toContain("posted through this host's agent");
    expect(r.json<{ turn: { n: number }; duplicate: boolean }>()).toMatchObject({ turn: { n: 2 }, duplicate: false });
    const again = await alpha.run(['reply', id, '--as', 'a1', '--expect-turn', '3', '--body', 'via a', '--verbose']);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(again.stderr).toContain("posted through this host's agent");
    expect((await turns(id)).map((t) => t.author)).toEqual(['a1', 'b1', 'a1']);
  });

  it('refuses through the agent with the relay own error and exit code', async () => {
    const id = await open('refusals through the agent');
    const r = await alpha.run(['reply', id, '--as', 'a1', '--expect-turn', '5', '--body', 'too far']);
    expect(r.exitCode, explain(r)).toBe(3);
    expect(r.stderr).toContain('expected turn 5, but the next turn of');
    expect(r.stderr).toContain('[TURN_CONFLICT]');
    const m = await alpha.run(['moderate', id, '--as', 'a1', '--extend', '5', '--verbose']);
    expect(m.exitCode, explain(m)).toBe(0);
    expect(m.stderr).toContain("posted through this host's agent");
    const c = await alpha.run(['close', id, '--as', 'a1', '--resolution', 'done', '--verbose']);
    expect(c.exitCode, explain(c)).toBe(0);
    const twice = await alpha.run(['close', id, '--as', 'a1', '--resolution', 'done']);
    expect(twice.stderr, explain(twice)).toContain('[CONVERSATION_CLOSED]');
  });

  it('falls back to HTTP when no agent runs, and says so with --verbose', async () => {
    const id = await open('no agent');
    await agent.stop();
    try {
      const r = await alpha.run(['reply', id, '--as', 'a1', '--expect-turn', '2', '--body', 'direct', '--verbose']);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stderr).toContain('no agent runs for this home; posting straight to the relay (same idempotency key)');
      // Without --expect-turn, the direct way reads the next turn from the relay.
      const again = await alpha.run(['reply', id, '--as', 'a1', '--body', 'direct again']);
      expect(again.exitCode, explain(again)).toBe(0);
      expect((await turns(id)).map((t) => t.body)).toEqual(['About no agent.', 'direct', 'direct again']);
    } finally {
      agent = await lab.startAgent(alpha, { tuning: FAST });
    }
  });

  it('keeps a post in the agent while the relay is down, and it lands once when the relay is back', async () => {
    const relay = lab.relay;
    if (!relay) throw new Error('no relay');
    const id = await open('relay down');
    await relay.kill9();
    const r = await beta.run(['reply', id, '--as', 'b1', '--expect-turn', '2', '--body', 'kept', '--post-timeout', '1.5']);
    expect(r.exitCode, explain(r)).toBe(5);
    expect(r.stderr).toContain('[POST_QUEUED]');
    await lab.restartRelay();
    await lab.waitFor('the kept turn to land', async () => (await turns(id)).length === 2);
    expect((await turns(id)).map((t) => t.body)).toEqual([`About relay down.`, 'kept']);
  });

  it('rides out a relay restart: the reply waits and is acknowledged once', async () => {
    const relay = lab.relay;
    if (!relay) throw new Error('no relay');
    const id = await open('relay restart');
    await relay.kill9();
    const pending = beta.run(['reply', id, '--as', 'b1', '--expect-turn', '2', '--body', 'waited', '--json']);
    await new Promise((r) => setTimeout(r, 1500));
    await lab.restartRelay();
    const r = await pending;
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.json<{ turn: { n: number } }>().turn.n).toBe(2);
    expect((await turns(id)).length).toBe(2);
  });

  it('falls back when the agent dies mid-post, and the turn lands once', async () => {
    const relay = lab.relay;
    if (!relay) throw new Error('no relay');
    const id = await open('agent dies');
    const b = await beta.run(['reply', id, '--as', 'b1', '--body', 'turn two']);
    expect(b.exitCode, explain(b)).toBe(0);
    await relay.kill9();
    // Alpha's agent takes the post and keeps it (the relay is down)…
    const posting = alpha.run(['reply', id, '--as', 'a1', '--expect-turn', '3', '--body', 'survives', '--verbose', '--json', '--post-timeout', '30']);
    const outbox = join(alpha.home, 'state', 'outbox.jsonl');
    await lab.waitFor('the post in the agent outbox', async () => (await readFile(outbox, 'utf8').catch(() => '')).includes('survives'));
    // …and dies: the CLI posts it itself, with the same key, while the relay is still down.
    await agent.kill9();
    await lab.restartRelay();
    const r = await posting;
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr).toContain('the agent went away before it answered; posting straight to the relay (same idempotency key)');
    // The restarted agent sends what its outbox kept: the relay answers it as the same post.
    agent = await lab.startAgent(alpha, { tuning: FAST });
    await lab.waitFor('the outbox to be answered', async () => {
      const text = await readFile(outbox, 'utf8').catch(() => '');
      return !text.includes('survives') || text.includes('"-"');
    });
    const all = await turns(id);
    expect(all.filter((t) => t.body === 'survives')).toHaveLength(1);
  });
});

describe('a home with only the endpoint (a container with the socket mounted)', () => {
  it('posts through the agent of the home the socket belongs to, with no key or config', async () => {
    const id = await open('from a container');
    const inside = join(lab.dir, 'container-home');
    await mkdir(inside, { mode: 0o700 });
    // A hard link is the same socket, as a bind mount is.
    await link(join(beta.home, 'agent.sock'), join(inside, 'agent.sock'));
    await copyFile(join(beta.home, 'agent.secret'), join(inside, 'agent.secret'));
    const r = await lab.run(inside, ['reply', id, '--as', 'b1', '--body', 'from inside', '--verbose', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr).toContain("posted through this host's agent");
    expect(r.json<{ turn: { n: number } }>().turn.n).toBe(2);
  });
});
