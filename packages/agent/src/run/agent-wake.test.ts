// Wake-ups end to end: a real relay, the agent as a real process, and fake coding agents in
// panes of a private tmux server. What the panes received is read from the fake agents' logs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wakeText, type WakeTarget } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { key, Lab, type Home } from '../__fixtures__/lab.js';
import { copyPath } from '../copies/copies.js';
import { TmuxLab, type AgentPane } from '../terminals/tmux/__fixtures__/tmux-lab.js';
import { readAgentStatus } from './status.js';

let lab: Lab;
let tmux: TmuxLab;
let here: Home;
let there: Home;

beforeEach(async () => {
  lab = await Lab.start();
  tmux = await TmuxLab.start();
  here = await lab.home('wake-host');
  there = await lab.home('far-host');
  await there.client.registerSession({ name: 'remote', kind: 'other', wake: { type: 'none' } });
});
afterEach(async () => {
  await lab.cleanup();
  await tmux.stop();
});

const logs = async () => `${lab.logs()}\n${await tmux.logs()}`;

const targetOf = (p: AgentPane): WakeTarget => tmux.target(p);

async function joinPane(name: string): Promise<AgentPane> {
  const pane = await tmux.agentPane();
  await here.client.registerSession({ name, kind: 'other', wake: targetOf(pane) });
  return pane;
}

const linesAbout = (p: AgentPane, id: string) => p.lines().filter((l) => l.includes(` ${id} `));

async function receiptsOf(id: string): Promise<string[]> {
  const { receipts } = await there.client.listReceipts(id);
  return receipts.map((r) => `${r.session} ${r.turn} ${r.status}${r.reason ? `/${r.reason}` : ''}#${r.attempt}`);
}

async function open(topic: string, extra: { moderator?: string; maxTurns?: number; with?: string[] } = {}) {
  return there.client.openConversation({ as: 'remote', topic, with: extra.with ?? ['local'], body: `about ${topic}`, idempotencyKey: key(), ...extra });
}

describe('wake-ups', () => {
  it('types one line for a turn and reports it delivered; measures the latency', async () => {
    const pane = await joinPane('local');
    lab.runEntry(here);
    const opened = await open('first');
    const id = opened.conversation.id;
    const line = wakeText({
      kind: 'turn',
      conversation: id,
      session: 'local',
      turn: 2,
      maxTurns: 20,
      copyPath: copyPath(here.config.conversationsDir, id),
      attempt: 1,
    });
    await waitFor('the wake-up line', () => pane.lines().includes(line), { logs });
    await waitFor('the delivered receipt', async () => (await receiptsOf(id)).includes('local 2 delivered#1'), { logs });
    expect(linesAbout(pane, id)).toEqual([line]);

    // Latency: HTTP 201 received → the text visible in the pane, median of 20.
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = await open(`latency ${i}`);
      const started = performance.now();
      const needle = `your turn in ${t.conversation.id} (turn 2/20)`;
      await waitFor('the wake text on screen', async () => (await tmux.capture(pane.pane)).includes(needle), { logs });
      samples.push(performance.now() - started);
      await waitFor('the receipt', async () => (await receiptsOf(t.conversation.id)).length > 0, { logs });
    }
    samples.sort((a, b) => a - b);
    const median = (samples[9]! + samples[10]!) / 2;
    console.log(
      `wake-up latency, post accepted → text in pane: median ${median.toFixed(1)} ms, min ${samples[0]!.toFixed(1)} ms, max ${samples[19]!.toFixed(1)} ms (n=20)`,
    );
    expect(linesAbout(pane, id)).toEqual([line]);
  });

  it('wakes nobody in closed or converged conversations, and only the moderator at the limit', async () => {
    const local = await joinPane('local');
    const mod = await joinPane('mod');
    // Opened and closed while the agent is down: it catches up and wakes nobody.
    const closed = await open('closed early');
    await there.client.close(closed.conversation.id, { as: 'remote', resolution: 'never mind' });
    lab.runEntry(here);

    // Converged: local is woken for its turn, and not again once everyone agreed.
    const agreeing = await open('agree');
    const aid = agreeing.conversation.id;
    await waitFor('the turn wake-up', () => linesAbout(local, aid).length === 1, { logs });
    await here.client.postTurn(aid, { as: 'local', expectedTurn: 2, idempotencyKey: key(), body: 'use 7717', propose: 'port 7717' });
    const done = await there.client.postTurn(aid, { as: 'remote', expectedTurn: 3, idempotencyKey: key(), body: 'agreed', agree: true });
    expect(done.conversation.status).toBe('converged');

    // At the limit: the moderator holds the floor.
    const limited = await open('limited', { moderator: 'mod', maxTurns: 2 });
    const lid = limited.conversation.id;
    await waitFor('the turn wake-up', () => linesAbout(local, lid).length === 1, { logs });
    const last = await here.client.postTurn(lid, { as: 'local', expectedTurn: 2, idempotencyKey: key(), body: 'my last word' });
    expect(last.conversation.status).toBe('at-limit');
    const limitLine = wakeText({
      kind: 'limit',
      conversation: lid,
      session: 'mod',
      maxTurns: 2,
      copyPath: copyPath(here.config.conversationsDir, lid),
      attempt: 1,
    });
    await waitFor('the moderator wake-up', () => mod.lines().includes(limitLine), { logs });

    // A last conversation for local: its line comes right after the earlier ones, with nothing between.
    const sentinel = await open('sentinel');
    await waitFor('the sentinel wake-up', () => linesAbout(local, sentinel.conversation.id).length === 1, { logs });
    expect(local.lines().map((l) => l.match(/ in ([a-z0-9-]+) /)?.[1])).toEqual([aid, lid, sentinel.conversation.id]);
    expect(mod.lines()).toEqual([limitLine]);
    expect(await receiptsOf(closed.conversation.id)).toEqual([]);
    expect(await receiptsOf(aid)).toEqual(['local 2 delivered#1']);
  });

  it('reminds a silent session, reports it unanswered, and then wakes the moderator', async () => {
    const local = await joinPane('local');
    const mod = await joinPane('mod');
    lab.runEntry(here, { wake: { nudgeAfterSeconds: 1, maxNudges: 1 } });
    const opened = await open('silence', { moderator: 'mod' });
    const id = opened.conversation.id;
    const told = wakeText({
      kind: 'unanswered',
      conversation: id,
      session: 'mod',
      silent: 'local',
      copyPath: copyPath(here.config.conversationsDir, id),
      attempt: 1,
    });
    await waitFor('the moderator to be told', () => mod.lines().includes(told), { logs, timeoutMs: 60_000 });
    await waitFor('the moderator receipt', async () => (await receiptsOf(id)).includes('mod 2 delivered#1'), { logs });
    expect(linesAbout(local, id)).toEqual([expect.stringMatching(/^crosstalk: your turn in /), expect.stringMatching(/^crosstalk: reminder: your turn in /)]);
    expect(await receiptsOf(id)).toEqual(['local 2 delivered#1', 'local 2 delivered#2', 'local 2 failed/unanswered#2', 'mod 2 delivered#1']);
    expect(mod.lines()).toEqual([told]);
  }, 90_000);

  it('reports a session whose pane is gone as offline', async () => {
    const pane = await joinPane('local');
    lab.runEntry(here);
    const online = async () => (await there.client.listSessions()).sessions.find((x) => x.name === 'local')?.online;
    await waitFor('local online', async () => (await online()) === true, { logs });
    await tmux.tmux(['kill-pane', '-t', pane.pane]);
    await waitFor('local offline', async () => (await online()) === false, { logs });
    const status = await waitFor(
      'the status to say so',
      async () => {
        const local = (await readAgentStatus(here.layout)).status?.sessions.find((x) => x.name === 'local');
        return local?.online === false && local;
      },
      { logs },
    );
    expect(status).toMatchObject({ name: 'local', kind: 'other', wake: 'tmux', online: false });
  });
});
