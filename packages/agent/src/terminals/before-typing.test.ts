// A wake-up that must wait for something (the agent's record of the attempt) before typing:
// the checks run meanwhile, nothing reaches the pane until it settles, and nothing at all if it
// fails. Real tmux on a private server, a fake coding agent in the pane.
import type { WakeTarget } from '@crosstalk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TmuxLab, type AgentPane } from './tmux/__fixtures__/tmux-lab.js';
import { createWaker } from './waker.js';

const LINE =
  'crosstalk: your turn in gate-test-a1b2 (turn 2/20). New turns: crosstalk read gate-test-a1b2 --new --as codex-linux; whole conversation: /tmp/gate-test-a1b2.md. Answer with: crosstalk reply gate-test-a1b2 --as codex-linux --expect-turn 2';

let lab: TmuxLab;
beforeEach(async () => {
  lab = await TmuxLab.start();
});
afterEach(async () => {
  await lab.stop();
});

const targetOf = (agent: AgentPane): WakeTarget => lab.target(agent);

/** A promise that notes what the pane had received at the moment the adapter waited on it. */
function gate(agent: AgentPane, settle: (resolve: () => void, reject: (e: Error) => void) => void) {
  const seen: number[] = [];
  const promise = {
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, to see when the adapter awaits it
    then(onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) {
      seen.push(agent.bytes().length);
      return new Promise<void>((resolve, reject) => settle(resolve, reject)).then(onFulfilled, onRejected);
    },
  } as unknown as Promise<unknown>;
  return { promise, seen };
}

describe('typing after a gate', () => {
  it('types only once the gate opened', async () => {
    const agent = await lab.agentPane();
    const waker = createWaker({ platform: process.platform, timeouts: { submitMs: 3_000 } });
    const g = gate(agent, (resolve) => resolve());
    expect(await waker.wake(targetOf(agent), LINE, { beforeTyping: g.promise })).toEqual({ status: 'delivered' });
    expect(g.seen).toEqual([0]);
    expect(agent.lines()).toEqual([LINE]);
  });

  it('types nothing when the gate fails, and leaves no buffer behind', async () => {
    const agent = await lab.agentPane();
    const waker = createWaker({ platform: process.platform });
    const g = gate(agent, (_resolve, reject) => reject(new Error('the journal could not be written')));
    expect(await waker.wake(targetOf(agent), LINE, { beforeTyping: g.promise })).toEqual({
      status: 'failed',
      reason: 'wake-error',
      detail: 'the journal could not be written',
    });
    expect(g.seen).toEqual([0]);
    expect(agent.bytes().length).toBe(0);
    expect(await lab.tmux(['list-buffers', '-F', '#{buffer_name}'])).toBe('');
  });

  it('does not wait for the gate when the coding agent is not in the pane', async () => {
    const other = await lab.agentPane(['--title', 'other-agent']);
    const waker = createWaker({ platform: process.platform });
    const g = gate(other, () => undefined);
    expect(await waker.wake(targetOf(other), LINE, { beforeTyping: g.promise })).toMatchObject({ status: 'failed', reason: 'bare-shell' });
    expect(g.seen).toEqual([]);
  });

  it('checks the pane on the server only once the gate opened, and then types nothing if it refuses', async () => {
    const agent = await lab.agentPane();
    await lab.tmux(['copy-mode', '-t', agent.pane]);
    const waker = createWaker({ platform: process.platform });
    const g = gate(agent, (resolve) => resolve());
    expect(await waker.wake(targetOf(agent), LINE, { beforeTyping: g.promise })).toEqual({ status: 'deferred', reason: 'copy-mode' });
    expect(g.seen).toEqual([0]);
    expect(agent.bytes().length).toBe(0);
    expect(await lab.tmux(['list-buffers', '-F', '#{buffer_name}'])).toBe('');
  });

  it('does not wait for the gate when the checks already say no, for a target without its first process', async () => {
    // Such targets (recorded by older versions) are checked in a call of their own before typing.
    const agent = await lab.agentPane();
    await lab.tmux(['copy-mode', '-t', agent.pane]);
    const waker = createWaker({ platform: process.platform });
    const g = gate(agent, () => undefined);
    const { panePid: _, ...older } = targetOf(agent) as Extract<WakeTarget, { type: 'tmux' }>;
    expect(await waker.wake(older, LINE, { beforeTyping: g.promise })).toEqual({ status: 'deferred', reason: 'copy-mode' });
    expect(g.seen).toEqual([]);
  });

  it('types only once the gate opened, for a target without its first process', async () => {
    const agent = await lab.agentPane();
    const waker = createWaker({ platform: process.platform, timeouts: { submitMs: 3_000 } });
    const g = gate(agent, (resolve) => resolve());
    const { panePid: _, ...older } = targetOf(agent) as Extract<WakeTarget, { type: 'tmux' }>;
    expect(await waker.wake(older, LINE, { beforeTyping: g.promise })).toEqual({ status: 'delivered' });
    expect(g.seen).toEqual([0]);
    expect(agent.lines()).toEqual([LINE]);
  });
});
