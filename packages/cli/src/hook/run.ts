// `crosstalk hook <claude-code|codex> [event] [payload]`: what a coding agent's own hooks call on
// every turn of every session. It tells this host's agent what the session is doing and, for a
// Stop, prints what the agent answers (a pending turn to go on with). It loads no schema library,
// key or program, and it never fails or blocks the coding agent: whatever goes wrong, it prints
// nothing and exits 0 within a few seconds.
import { tmpdir } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { askAgent } from '@crosstalk/client/local';
import { endpointPath } from '@crosstalk/core/endpoint';
import { resolveHome } from '@crosstalk/core/home';

export interface HookIo {
  args: string[];
  env: Readonly<Record<string, string | undefined>>;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  platform: NodeJS.Platform;
  userHome: string;
  pid: number;
  ppid: number;
  uid: number;
}

const AGENTS = ['claude-code', 'codex'];
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** How long a hook may keep the coding agent waiting for the host agent's answer. */
const ANSWER_MS = 3_000;
/** A waiting hook (`--wait`) asks again this often, so it notices its coding agent is gone. */
const WAIT_ROUND_MS = 60_000;
// Only these reach the agent: where the session's terminal is, and which session it is.
const PASSED_ENV = ['TMUX', 'TMUX_PANE', 'CLAUDE_PID', 'CLAUDE_CODE_SESSION_ID', 'CODEX_THREAD_ID', 'CODEX_SESSION_ID'];

/** The payload on stdin (Claude Code, Codex hooks) or as the last argument (Codex notify). */
async function readPayload(io: HookIo, argument: string | undefined): Promise<unknown> {
  const text = argument ?? (io.stdin.isTTY ? '' : await readStdin(io.stdin));
  if (text.trim() === '' || Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) return null;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the agent still learns the event; the payload is of no use.
    return null;
  }
}

function readStdin(stdin: Readable): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    // Coding agents close stdin after the payload; one that does not must not hold the hook.
    const timer = setTimeout(done, 1_000);
    stdin.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(c);
    });
    stdin.on('end', done);
    stdin.on('error', done);
  });
}

function request(io: HookIo, agent: string, event: string | undefined, payload: unknown, wait: boolean): Record<string, unknown> {
  const env = Object.fromEntries(PASSED_ENV.filter((k) => io.env[k]).map((k) => [k, io.env[k]]));
  return { t: 'hook', agent, event: event ?? null, wait, pid: io.pid, ppid: io.ppid, env, payload };
}

/** Asks until the agent hands over a turn, says to stop waiting, or the coding agent is gone. */
async function waitForTurn(path: string, req: Record<string, unknown>, io: HookIo): Promise<string | null> {
  const claudePid = Number(io.env.CLAUDE_PID);
  for (;;) {
    const reply = await askAgent(path, { ...req, waitMs: WAIT_ROUND_MS }, WAIT_ROUND_MS + ANSWER_MS);
    if (!reply || reply.stop === true) return null;
    if (typeof reply.rewake === 'string') return reply.rewake;
    // Its coding agent died without ending its session: nobody is left to wake.
    if (Number.isSafeInteger(claudePid) && claudePid > 0 && !alive(claudePid)) return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs the hook; the exit code is 0, or 2 when a waiting hook hands its coding agent a turn. */
export async function runHook(io: HookIo): Promise<number> {
  try {
    const [agent, ...rest] = io.args;
    if (!agent || !AGENTS.includes(agent)) return 0;
    const wait = rest.includes('--wait');
    const words = rest.filter((a) => a !== '--wait');
    const event = words[0];
    const payload = await readPayload(io, words[1]);
    const home = resolveHome({ crosstalkHome: io.env.CROSSTALK_HOME, userHome: io.userHome });
    const path = endpointPath(home, io.platform, tmpdir(), io.uid);
    const req = request(io, agent, event, payload, wait);
    if (wait) {
      const line = await waitForTurn(path, req, io);
      if (line === null) return 0;
      // Exit 2 with the text on stderr: Claude Code wakes its idle session with it.
      io.stderr.write(`\n${line}\n`);
      return 2;
    }
    const reply = await askAgent(path, req, ANSWER_MS);
    if (reply && typeof reply.output === 'object' && reply.output !== null) io.stdout.write(`${JSON.stringify(reply.output)}\n`);
    return 0;
  } catch {
    // Never fail the coding agent's turn: a hook that cannot reach the agent says nothing.
    return 0;
  }
}
