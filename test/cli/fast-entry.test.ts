// The fast entry (bin.ts → fast/entry.ts: no commander, no table of every command) prints what the
// full program prints. Each command line a session runs on its turns goes through the built CLI,
// which takes the fast entry for it, and through the full program (harness/full-program.mjs):
// stdout, stderr and the exit code must match, with conversation ids, times and sequence numbers
// as the only differences (a post runs on one of two conversations in the same state each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, explain, FULL_PROGRAM, type Host, type Lab, NODE, runToEnd } from '../harness/index.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let open: (topic: string, extra?: string[]) => Promise<string>;

beforeAll(async () => {
  ({ lab, alpha, beta, open } = await twoHosts('fast-entry'));
}, 120_000);
afterAll(() => lab?.cleanup());

interface Printed {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What differs between two runs in the same state: ids, times, sequence numbers. */
function normal(r: Printed, ids: string[]): Printed {
  const clean = (text: string) => {
    let t = text;
    for (const id of ids) t = t.split(id).join('<id>');
    return t
      .replace(/fast-entry-ask-[a-z0-9]+/g, '<id>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/"seq": \d+/g, '"seq": <n>')
      .replace(/\b\d+ (ms|s|min|h) ago\b/g, '<ago>');
  };
  return { exitCode: r.exitCode, stdout: clean(r.stdout), stderr: clean(r.stderr) };
}

async function full(host: Host, args: string[], input?: string): Promise<Printed> {
  const r = await runToEnd(NODE, [FULL_PROGRAM, ...args], { env: lab.env(host.home), netns: host.netns, ...(input === undefined ? {} : { input }) });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `args(id)` through the fast entry and `args(other)` through the full program; the same output. */
async function same(host: Host, args: (id: string) => string[], ids: [string, string] | [] = [], input?: string): Promise<CliResult> {
  const viaFast = await host.run(args(ids[0] ?? ''), input === undefined ? {} : { input });
  const viaFull = await full(host, args(ids[1] ?? ''), input);
  expect(normal(viaFast, ids), `${explain(viaFast)}\n--- full program: exit ${viaFull.exitCode}\n${viaFull.stdout}\n${viaFull.stderr}`).toEqual(
    normal(viaFull, ids),
  );
  return viaFast;
}

describe('the fast entry prints what the full program prints', () => {
  it('posts: reply (text, stdin, proposal, agreement, --json), moderate, close, open', async () => {
    const pair = [await open('fast entry posts'), await open('fast entry posts')] as [string, string];
    const r = await same(beta, (id) => ['reply', id, '--as', 'b1', '--body', 'turn 2', '--verbose'], pair);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toContain('posted turn 2/20');
    await same(alpha, (id) => ['reply', id, '--as', 'a1', '--expect-turn', '3', '--body-file', '-', '--json'], pair, 'from stdin\n');
    await same(beta, (id) => ['reply', id, '--as=b1', '--propose', '--body=use v2'], pair);
    await same(alpha, (id) => ['reply', id, '--as', 'a1', '--agree', '--body', 'agreed', '--json'], pair);
    const pair2 = [await open('fast entry moderation'), await open('fast entry moderation')] as [string, string];
    await same(alpha, (id) => ['moderate', id, '--as', 'a1', '--extend', '2', '--next', 'a1', '--json'], pair2);
    await same(alpha, (id) => ['moderate', id, '--as', 'a1', '--add', 'a2'], pair2);
    await same(alpha, (id) => ['close', id, '--as', 'a1', '--resolution', 'done', '--verbose'], pair2);
    await same(alpha, (id) => ['close', id, '--as', 'a1', '--resolution', 'done', '--json'], pair2);
    // Each open makes its own conversation: the id each printed is the difference.
    const argv = ['open', '--as', 'a1', '--topic', 'fast entry opened', '--with', 'b1', '--body', 'hello'];
    const [o1, o2] = [await alpha.run(argv), await full(alpha, argv)];
    expect(normal(o1, [o1.stdout.trim(), o2.stdout.trim()])).toEqual(normal(o2, [o1.stdout.trim(), o2.stdout.trim()]));
    const [j1, j2] = [await alpha.run([...argv, '--json']), await full(alpha, [...argv, '--json'])];
    const jids = [j1.json<{ id: string }>().id, JSON.parse(j2.stdout).id];
    expect(normal(j1, jids)).toEqual(normal(j2, jids));
  });

  it('refusals: not a participant, a conflict, bad values, no session, no body', async () => {
    const id = await open('fast entry refusals');
    const ids: [string, string] = [id, id];
    expect((await same(alpha, (c) => ['reply', c, '--as', 'z9', '--expect-turn', '2', '--body', 'x'], ids)).exitCode).not.toBe(0);
    expect((await same(beta, (c) => ['reply', c, '--as', 'b1', '--expect-turn', '7', '--body', 'x', '--json'], ids)).exitCode).toBe(3);
    expect((await same(beta, (c) => ['reply', c, '--as', 'b1', '--expect-turn', '0', '--body', 'x'], ids)).exitCode).toBe(2);
    expect((await same(beta, (c) => ['reply', c, '--as', 'B1', '--body', 'x', '--json'], ids)).exitCode).toBe(2);
    expect((await same(beta, () => ['reply', 'Not A Name', '--as', 'b1', '--body', 'x'])).exitCode).toBe(2);
    expect((await same(beta, (c) => ['reply', c, '--body', 'x'], ids)).exitCode).toBe(2);
    expect((await same(beta, (c) => ['reply', c, '--as', 'b1', '--body', ''], ids)).exitCode).toBe(2);
    expect((await same(beta, (c) => ['reply', c, '--as', 'b1', '--body', 'x', '--post-timeout', 'soon'], ids)).exitCode).toBe(2);
    expect((await same(beta, (c) => ['reply', c, '--as', 'b1', '--propose', 'a', '--agree', '--body', 'x'], ids)).exitCode).toBe(2);
    expect((await same(alpha, () => ['open', '--as', 'a1', '--with', 'b1', '--body', 'no topic', '--json'])).exitCode).toBe(2);
    expect((await same(beta, (c) => ['close', c, '--as', 'b1', '--resolution', 'mine now'], ids)).exitCode).not.toBe(0);
    expect((await same(beta, (c) => ['moderate', c, '--as', 'b1', '--extend', '1', '--json'], ids)).exitCode).not.toBe(0);
  });

  it('reading and waiting: read, status, wait, ask', async () => {
    const id = await open('fast entry reading');
    const ids: [string, string] = [id, id];
    const posted = await beta.run(['reply', id, '--as', 'b1', '--body', 'an answer']);
    expect(posted.exitCode, explain(posted)).toBe(0);
    for (const args of [
      ['read', id],
      ['read', id, '--json'],
      ['read', id, '--since', '1', '--json'],
      ['read', id, '--new', '--as', 'a1'],
      ['status', id],
      ['status', id, '--json'],
      ['read', 'no-such-conversation'],
      ['status', 'no-such-conversation', '--json'],
    ]) {
      const host = args.includes('--as') ? alpha : beta;
      await same(host, () => args, ids);
    }
    expect((await same(alpha, (c) => ['wait', c, '--as', 'a1', '--json'], ids)).exitCode).toBe(0);
    expect((await same(beta, (c) => ['wait', c, '--as', 'b1', '--timeout', '0.5'], ids)).exitCode).toBe(124);
    // Nobody answers in beta's session: the ask opens its conversation and times out.
    const asked = await same(alpha, () => ['ask', 'b1', 'count', 'the', 'tests', '--as', 'a1', '--topic', 'fast entry ask', '--timeout', '0.5']);
    expect(asked.exitCode, explain(asked)).toBe(124);
  });
});
