// `crosstalk hook` end to end: the real CLI reports a coding agent's hook events (payloads recorded
// from the real Claude Code, in its pane's environment) to the real host agent, which holds turns
// while the session works, hands one over through the Stop hook or a waiting hook with nothing
// typed, and shows every host what the session does. The real coding agents run in test/agents.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProc, explain, type Host, type Lab, repoFile, type ScriptedSession, scriptedSession } from '../harness/index.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let alphaAgent: AgentProc;
let session: ScriptedSession;

const fixture = (name: string) => readFile(repoFile(`packages/agent/src/hooks/__fixtures__/claude-code/${name}.json`), 'utf8');

beforeAll(async () => {
  ({
    lab,
    alpha,
    beta,
    agents: { alpha: alphaAgent },
  } = await twoHosts('hooks'));
  // Kind other: the scripted pane does not draw Claude Code's screen, so only the pane checks run
  // before a waiting hook takes a line (the real screens are in test/agents).
  session = await scriptedSession(lab, alpha, { name: 'pane-a', kind: 'other' });
});
afterAll(() => lab?.cleanup());

/** `crosstalk hook claude-code` as Claude Code runs it in the session's pane. */
function hook(payload: string, extra: string[] = [], timeoutMs?: number) {
  const env = { TMUX: `${alpha.tmux.socket},1,0`, TMUX_PANE: session.pane, CLAUDE_PID: String(process.pid) };
  return alpha.run(['hook', 'claude-code', ...extra], { env, input: payload, ...(timeoutMs ? { timeoutMs } : {}) });
}

async function stateOf(name: string): Promise<{ state?: string; stateSince?: string }> {
  const r = await beta.run(['sessions', '--json']);
  return r.json<{ sessions: Array<{ name: string; state?: string; stateSince?: string }> }>().sessions.find((s) => s.name === name) ?? {};
}

async function receipts(id: string): Promise<string[]> {
  const r = await beta.run(['status', id, '--json']);
  expect(r.exitCode, explain(r)).toBe(0);
  return r
    .json<{ receipts: Array<{ session: string; status: string; reason?: string }> }>()
    .receipts.map((x) => `${x.status}${x.reason ? `/${x.reason}` : ''}`);
}

async function openWith(topic: string): Promise<string> {
  const r = await beta.run(['open', '--as', 'b1', '--topic', topic, '--with', 'pane-a', '--body', `About ${topic}.`]);
  expect(r.exitCode, explain(r)).toBe(0);
  return r.stdout.trim();
}

const wakeLines = async () => (await session.lines()).filter((l) => l.startsWith('crosstalk:'));

describe('crosstalk hook', () => {
  it('prints nothing and exits 0 when no agent listens, fast', async () => {
    const lonely = await lab.run(`${lab.dir}/no-home`, ['hook', 'claude-code'], { input: await fixture('Stop'), env: {} });
    expect(lonely.exitCode, explain(lonely)).toBe(0);
    expect(lonely.stdout).toBe('');
    expect(lonely.stderr).toBe('');
  });

  it('shows every host what the session does, and since when', async () => {
    expect((await hook(await fixture('SessionStart'))).exitCode).toBe(0);
    await lab.waitFor('pane-a idle', async () => (await stateOf('pane-a')).state === 'idle');
    expect((await hook(await fixture('UserPromptSubmit'))).stdout).toBe('');
    await lab.waitFor('pane-a working', async () => (await stateOf('pane-a')).state === 'working');
    const human = await beta.run(['sessions']);
    expect(human.stdout).toMatch(/pane-a\s+alpha\s+other\s+tmux\s+yes\s+working/);
    // A session without hooks says so.
    expect((await stateOf('b1')).state).toBe('unknown');
  });

  it('holds a turn while the session works and hands it over through the Stop hook, nothing typed', async () => {
    const id = await openWith('held');
    await lab.waitFor('the hold', async () => (await receipts(id)).includes('deferred/busy'));
    const stop = await hook(await fixture('Stop'));
    expect(stop.exitCode, explain(stop)).toBe(0);
    const answer = JSON.parse(stop.stdout) as { decision: string; reason: string };
    expect(answer.decision).toBe('block');
    expect(answer.reason).toMatch(new RegExp(`^crosstalk: your turn in ${id} \\(turn 2/20\\)`));
    await lab.waitFor('the receipt', async () => (await receipts(id)).includes('delivered/hook'));
    expect(await wakeLines()).toEqual([]);
    // The session goes on with the turn: working, as far as anyone can tell.
    expect((await stateOf('pane-a')).state).toBe('working');
    // Handed over once: the next Stop, a continuation, has nothing more.
    const again = await hook(await fixture('Stop-stop_hook_active'));
    expect(again.stdout).toBe('');
  });

  it('wakes an idle session through its waiting hook (exit 2, the line on stderr), nothing typed', async () => {
    expect((await hook(await fixture('Stop'))).exitCode).toBe(0);
    await lab.waitFor('pane-a idle', async () => (await stateOf('pane-a')).state === 'idle');
    const held = () =>
      alphaAgent.proc
        .stderr()
        .split('\n')
        .filter((l) => l.includes('"msg":"hook waiting"') && l.includes('"session":"pane-a"')).length;
    const before = held();
    const waiting = hook(await fixture('Stop'), ['--wait'], 60_000);
    // The turn comes once the agent holds the hook; before that, an idle pane is typed into.
    await lab.waitFor('the agent to hold the waiting hook', () => held() > before);
    const id = await openWith('idle');
    const woke = await waiting;
    expect(woke.exitCode, explain(woke)).toBe(2);
    expect(woke.stderr.trim()).toMatch(new RegExp(`^crosstalk: your turn in ${id} \\(turn 2/20\\)`));
    expect(woke.stdout).toBe('');
    await lab.waitFor('the receipt', async () => (await receipts(id)).includes('delivered/hook'));
    expect(await wakeLines()).toEqual([]);
  });

  it('lets a waiting hook go when its session ends', async () => {
    const waiting = hook(await fixture('Stop'), ['--wait'], 60_000);
    expect((await hook(await fixture('SessionEnd-prompt_input_exit'))).exitCode).toBe(0);
    const done = await waiting;
    expect(done.exitCode, explain(done)).toBe(0);
    expect(done.stderr).toBe('');
    await lab.waitFor('pane-a gone', async () => (await stateOf('pane-a')).state === 'gone');
  });
});
