// Every command's human output with hostile remote text: bodies, a proposal, the decision and a
// resolution full of what a terminal obeys (clear screen, OSC title, OSC 52 clipboard write, a
// cursor-position query whose answer would be typed into the pane, C1 CSI, bidi overrides, CR).
// Nothing of it may reach stdout or stderr raw, with or without --json. Every command in the
// table is either run here or named with the reason it prints no remote text, so a new command
// cannot be forgotten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../packages/cli/dist/commands.js';
import { explain, type Host, type Lab } from '../harness/index.js';
import { twoHosts } from './two-hosts.js';

const EVIL = '\x1b[2J\x1b]0;pwned title\x07\x1b]52;c;ZXZpbA==\x07\x1b[6n\u009b31m\u202eevil\u202c\r\x7f\x08';
const hostile = (marker: string) => `${marker} ${EVIL} end\n## Reply — p1 @ 2026-01-01T00:00:00Z\n${EVIL}`;

// Anything a terminal could act on, in the output: C0 but tab and newline, DEL, C1, bidi controls.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Commands that print nothing a remote host wrote, and why. */
const NO_REMOTE_TEXT: Record<string, string> = {
  'relay serve': 'prints its own addresses; long-running server',
  'relay invite': 'prints an invite it minted itself',
  'relay hosts': 'host names, validated at enrollment (^[a-z0-9-]+$)',
  'relay revoke': 'prints the validated host name it revoked',
  'relay repair': 'works on the local data dir; prints its own counts',
  'relay rotate-admin-key': 'prints the key fingerprint and the end of the overlap the relay made itself',
  'agent rotate-key': 'prints the validated host name, the key fingerprint made here and a relay time checked as ISO',
  'relay compact': 'works on the local data dir; prints its own counts',
  archive: 'prints the validated conversation id it archived',
  delete: 'prints the validated conversation id it deleted',
  'agent join': 'prints the validated relay id and host name',
  'agent run': 'long-running; logs go to the log file',
  'agent install': 'prints the service file it wrote',
  'agent uninstall': 'prints the service file it removed',
  up: 'long-running; prints its own banner',
  web: 'long-running; prints its own URL and login link (bodies go to the browser, through its own markdown renderer)',
  demo: 'runs its own scripted conversation (its output goes through printResult like every command)',
  'skill install': 'prints the files it wrote',
  hook: 'talks only to the local agent; never prints remote text to a terminal',
  spawn: 'prints through printResult like every command; it needs a host whose policy allows spawning: run in test/cli/spawn.test.ts',
  kill: 'prints validated names and the outcome through printResult; run in test/cli/spawn.test.ts',
  peek: 'strips every control from the screen (lib/screen-text.ts) before printResult; it needs a spawned session: run in test/cli/spawn.test.ts',
  ask: "prints the answer turn through printResult like read; it needs a host that may spawn a coding agent, covered in wait-ask's suite",
};

let lab: Lab;
let alpha: Host;
let beta: Host;
let id: string;

beforeAll(async () => {
  ({ lab, alpha, beta } = await twoHosts('hostile-output'));
  const opened = await alpha.run(['open', '--as', 'a1', '--topic', 'hostile output', '--with', 'b1', '--body', hostile('marker-opening')]);
  expect(opened.exitCode, explain(opened)).toBe(0);
  id = opened.stdout.trim();
  const reply = await beta.run(['reply', id, '--as', 'b1', '--body', hostile('marker-reply'), '--propose', hostile('marker-proposal')]);
  expect(reply.exitCode, explain(reply)).toBe(0);
}, 120_000);
afterAll(() => lab?.cleanup());

describe('hostile remote text never reaches the terminal raw', () => {
  it('every command, human output and --json', async () => {
    const runs: Array<{ command: string; args: string[]; host: Host; expect?: string }> = [
      { command: 'read', args: ['read', id], host: alpha, expect: 'marker-reply' },
      { command: 'read', args: ['read', id, '--new', '--as', 'a1'], host: alpha, expect: 'marker-proposal' },
      { command: 'read', args: ['read', id, '--since', '1'], host: beta, expect: 'marker-reply' },
      { command: 'status', args: ['status', id], host: alpha, expect: 'marker-proposal' },
      { command: 'status', args: ['status'], host: alpha },
      { command: 'list', args: ['list'], host: beta, expect: 'hostile output' },
      { command: 'sessions', args: ['sessions'], host: beta },
      { command: 'whoami', args: ['whoami', '--as', 'b1'], host: beta },
      { command: 'tail', args: ['tail', id], host: beta, expect: 'marker-opening' },
      { command: 'doctor', args: ['doctor'], host: beta },
      { command: 'agent status', args: ['agent', 'status'], host: beta },
    ];
    // a1 agrees (the decision holds hostile text), then closes with a hostile resolution; b1's
    // wait then prints the resolution, the path that once let it through.
    const tail = lab.spawn('tail -f', beta.home, ['tail', id, '-f']);
    const tailJson = lab.spawn('tail -f --json', beta.home, ['tail', id, '-f', '--json']);
    await lab.waitFor('tail -f to print the opening', () => tail.stdout().includes('marker-opening') && tailJson.stdout().includes('marker-opening'));
    const agree = await alpha.run(['reply', id, '--as', 'a1', '--agree', '--body', hostile('marker-agree')]);
    expect(agree.exitCode, explain(agree)).toBe(0);
    const moderate = await alpha.run(['moderate', id, '--as', 'a1', '--extend', '2']);
    const close = await alpha.run(['close', id, '--as', 'a1', '--resolution', hostile('marker-resolution')]);
    expect(close.exitCode, explain(close)).toBe(0);
    runs.push(
      { command: 'wait', args: ['wait', id, '--as', 'b1'], host: beta, expect: 'marker-resolution' },
      { command: 'status', args: ['status', id], host: beta, expect: 'marker-resolution' },
      { command: 'read', args: ['read', id], host: beta, expect: 'marker-resolution' },
      { command: 'tail', args: ['tail', id], host: alpha, expect: 'marker-resolution' },
    );
    expect((await tail.exited).exitCode, tail.stderr()).toBe(0);
    expect((await tailJson.exited).exitCode, tailJson.stderr()).toBe(0);

    const seen = new Set<string>(['open', 'reply', 'moderate', 'close', 'tail', 'join', 'leave']);
    const outputs: Array<{ what: string; text: string }> = [
      { what: 'open', text: '' },
      { what: 'reply --agree', text: agree.stdout + agree.stderr },
      { what: 'moderate', text: moderate.stdout + moderate.stderr },
      { what: 'close', text: close.stdout + close.stderr },
      { what: 'tail -f', text: tail.stdout() + tail.stderr() },
      { what: 'tail -f --json', text: tailJson.stdout() + tailJson.stderr() },
    ];
    expect(tail.stdout()).toContain('marker-resolution');
    expect(tailJson.stdout()).toContain('marker-agree');
    for (const run of runs) {
      seen.add(run.command);
      for (const json of [false, true]) {
        const args = json ? [...run.args, '--json'] : run.args;
        const r = await run.host.run(args);
        outputs.push({ what: args.join(' '), text: r.stdout + r.stderr });
        if (run.expect && !json) expect(r.stdout, `${args.join(' ')}: ${explain(r)}`).toContain(run.expect);
      }
    }
    // Joining and leaving print validated names only; run them too.
    for (const args of [
      ['join', '--as', 'b9', '--no-wake'],
      ['leave', '--as', 'b9'],
    ]) {
      const r = await beta.run(args);
      outputs.push({ what: args.join(' '), text: r.stdout + r.stderr });
    }

    for (const { what, text } of outputs) {
      const at = text.search(RAW);
      expect(at, `${what} printed a raw control at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}`).toBe(-1);
    }
    const missing = COMMANDS.map((c) => c.path.join(' ')).filter((name) => !seen.has(name) && !(name in NO_REMOTE_TEXT));
    expect(missing, 'commands neither run with hostile text here nor listed in NO_REMOTE_TEXT').toEqual([]);
    process.stdout.write(`hostile-output: commands=${seen.size} runs=${outputs.length} listed_without_remote_text=${Object.keys(NO_REMOTE_TEXT).length}\n`);
  });
});
