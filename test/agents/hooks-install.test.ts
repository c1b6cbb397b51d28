// The hooks `crosstalk skill install` writes, as the real Claude Code and the real Codex run them:
// Codex starts without asking for a review of them (the trust entries are right) and runs each
// event's `crosstalk hook codex`; Claude Code runs `crosstalk hook claude-code` on its events, and
// the background waiters on SessionStart and Stop wake the idle session with a new prompt when they
// exit 2. Only the install is under test here: the real `crosstalk hook` runs, and the test listens
// on the agent's local endpoint itself, in the place of the host agent, recording every frame (the
// delivery built on them is tested with the real agent in hooks.test.ts).
import { mkdir, mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, FrameReader, frame } from '@crosstalk/core/endpoint';
import { waitFor } from '@crosstalk/core/test-support';
import { parsePaneView } from '../../packages/agent/src/terminals/tmux/submit.js';
import { screenReaderFor } from '../../packages/agent/src/terminals/screens/index.js';
import { CLI_BIN, NODE, PrivateTmux, runToEnd } from '../harness/index.js';
import { prepareClaudeCode } from './launch/claude-code.js';
import { prepareCodex } from './launch/codex.js';
import { decide } from './mock-model/brain.js';
import { MockModel } from './mock-model/server.js';
import { skipRealAgents } from './support/prereqs.js';

const skip = skipRealAgents();

interface Request {
  kind: string;
  answered: boolean;
  wait: boolean;
  payload: { hook_event_name?: string; prompt?: string };
  /** Answers a waiting request: the stand-in exits 2 with `text` on stderr. */
  wake(text: string): void;
}

/** The host agent's local endpoint, played by the test: every hook request, in order. */
class Witness {
  readonly requests: Request[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async listen(path: string): Promise<Witness> {
    const server = createServer();
    const witness = new Witness(server);
    server.on('connection', (socket) => witness.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    return witness;
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    const reader = new FrameReader();
    socket.on('data', (chunk: string) => {
      for (const f of reader.push(chunk).frames) {
        if (f.t === 'hello') socket.write(frame({ t: 'welcome', v: 1 }));
        if (f.t !== 'hook') continue;
        const answer = (fields: object) => socket.write(frame({ t: 'reply', id: f.id, ...fields }));
        const request: Request = {
          kind: String(f.agent),
          answered: false,
          wait: f.wait === true,
          payload: (f.payload ?? {}) as Request['payload'],
          wake: (text: string) => {
            request.answered = true;
            answer({ rewake: text });
          },
        };
        this.requests.push(request);
        if (!request.wait) answer({});
        // A waiting hook asks again after each round: answer nothing new, and it asks once more.
        else if (typeof f.waitMs === 'number') {
          const round = () => {
            if (request.answered) return;
            request.answered = true;
            answer({});
          };
          setTimeout(round, f.waitMs).unref();
        }
      }
    });
  }

  /** The events of `kind` reported so far, in order; Notification (Claude Code's idle reminders come at any time) left out. */
  events(kind: string): string[] {
    return this.requests.filter((r) => r.kind === kind && !r.wait && r.payload.hook_event_name !== 'Notification').map((r) => r.payload.hook_event_name ?? '?');
  }

  /** The newest waiting request of `kind` for `event`, not yet answered by the test. */
  waiter(kind: string, event: string, after = 0): Request | undefined {
    return this.requests.slice(after).findLast((r) => r.kind === kind && r.wait && !r.answered && r.payload.hook_event_name === event);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe.skipIf(skip)('the hooks skill install writes, run by the real coding agents', () => {
  let root: string;
  let bin: string;
  let mock: MockModel;
  let tmux: PrivateTmux;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ct-hooks-'));
    bin = join(root, 'bin');
    await mkdir(bin);
    // The hooks run `crosstalk` by name, from PATH, as on a user's machine.
    const wrapper = `#!/bin/sh\nexec ${JSON.stringify(NODE)} ${JSON.stringify(CLI_BIN)} "$@"\n`;
    await writeFile(join(bin, 'crosstalk'), wrapper);
    await chmod(join(bin, 'crosstalk'), 0o755);
    mock = await MockModel.start();
    tmux = new PrivateTmux(join(root, 'tmux.sock'), { PATH: process.env.PATH, HOME: root, LANG: 'C.UTF-8' });
  });
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
  });
  afterAll(async () => {
    await tmux?.kill();
    await mock?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A crosstalk home with the test listening on its endpoint. */
  async function endpoint(name: string): Promise<{ home: string; witness: Witness }> {
    const home = join(root, `${name}-crosstalk`);
    await mkdir(home, { recursive: true });
    const witness = await Witness.listen(endpointPath(home, process.platform, tmpdir(), process.getuid?.() ?? 0));
    cleanups.push(() => witness.close());
    return { home, witness };
  }

  async function skillInstall(env: Record<string, string>, cwd: string, ...args: string[]) {
    const r = await runToEnd(NODE, [CLI_BIN, 'skill', 'install', ...args, '--json'], { env, cwd });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    return (JSON.parse(r.stdout) as { actions: Array<{ part: string; change: string; path: string }> }).actions;
  }

  /** The agent in a pane of the private tmux server; the pane goes when the test ends. */
  async function inPane(kind: 'claude-code' | 'codex', argv: string[], cwd: string) {
    const { pane } = await tmux.window(argv, {}, cwd);
    cleanups.push(async () => void (await tmux.run(['kill-pane', '-t', pane])));
    const view = async () =>
      parsePaneView(await tmux.run(['capture-pane', '-p', '-e', '-t', pane, ';', 'display-message', '-p', '-t', pane, '#{cursor_x} #{cursor_y}']), true);
    const screen = async () => (await view()).lines.join('\n');
    const ready = () =>
      waitFor(`${kind} at its empty prompt`, async () => (await screenReaderFor(kind)!.before(await view())).state === 'ready', {
        timeoutMs: 90_000,
        intervalMs: 250,
        logs: screen,
      });
    const prompt = async (text: string) => {
      await tmux.run(['send-keys', '-t', pane, '-l', text]);
      // Keys that arrive together read as a paste, where Enter is a new line: Enter waits for the text to show.
      await waitFor('the prompt on screen', async () => (await screen()).includes(text.slice(-20)), { timeoutMs: 30_000, intervalMs: 100, logs: screen });
      await tmux.run(['send-keys', '-t', pane, 'Enter']);
    };
    return { screen, ready, prompt };
  }

  const until = <T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, logs: () => Promise<string>) =>
    waitFor(what, check, { timeoutMs: 120_000, intervalMs: 100, logs: async () => `${await logs()}\nmock failures: ${mock.failures.join('\n')}` });

  it('Codex runs them without asking for a review, on every event; uninstall gives config.toml back byte for byte', async () => {
    const { home: crosstalkHome, witness } = await endpoint('codex');
    const cwd = join(root, 'codex-project');
    await mkdir(cwd, { recursive: true });
    const launch = await prepareCodex({ modelUrl: mock.url, cwd, pathDirs: [bin], env: { CROSSTALK_HOME: crosstalkHome, LANG: 'C.UTF-8' } });
    cleanups.push(launch.cleanup);
    const config = join(launch.codexHome, 'config.toml');
    const before = await readFile(config);
    const env = { HOME: launch.home, CODEX_HOME: launch.codexHome, CROSSTALK_HOME: crosstalkHome };

    const actions = await skillInstall(env, cwd, '--codex');
    expect(actions.filter((a) => a.part.startsWith('hook')).map((a) => [a.part, a.change, a.path])).toEqual([
      ['hooks', 'create', join(launch.codexHome, 'hooks.json')],
      ['hook-trust', 'update', config],
    ]);

    const codex = await inPane('codex', launch.argv, cwd);
    await codex.ready();
    expect(await codex.screen()).not.toMatch(/Hooks need review|hooks? (are|is) new or changed/i);
    await codex.prompt('RUN: echo codex-hooks-ran');
    await until(
      'the Stop hook to reach the endpoint',
      () => witness.events('codex').includes('Stop'),
      async () => `${await codex.screen()}\nrequests: ${witness.events('codex')}`,
    );
    // SessionStart and UserPromptSubmit fire together on the first prompt; the rest in the turn's order.
    expect(witness.events('codex').slice(0, 2).sort()).toEqual(['SessionStart', 'UserPromptSubmit']);
    expect(witness.events('codex').slice(2)).toEqual(['PreToolUse', 'PostToolUse', 'Stop']);
    expect(mock.outputs('openai').some((o) => o.includes('codex-hooks-ran'))).toBe(true);

    await skillInstall(env, cwd, '--codex', '--uninstall');
    expect((await readFile(config)).equals(before)).toBe(true);
    await expect(stat(join(launch.codexHome, 'hooks.json'))).rejects.toThrow();
  });

  it('Claude Code runs them on its events, and the SessionStart and Stop waiters wake the idle session', async () => {
    const { home: crosstalkHome, witness } = await endpoint('claude');
    const cwd = join(root, 'claude-project');
    await mkdir(cwd, { recursive: true });
    const launch = await prepareClaudeCode({
      modelUrl: mock.url,
      cwd,
      permissions: 'bypass',
      settings: { disableAgentView: true },
      pathDirs: [bin],
      env: { CROSSTALK_HOME: crosstalkHome, LANG: 'C.UTF-8' },
    });
    cleanups.push(launch.cleanup);
    // The mock reads a prompt without its system reminders, so a waiter's prompt reads as empty to it: any command will do.
    mock.decide = (text, style) => (text === '' ? { command: 'true' } : decide(text, style));
    cleanups.push(async () => void (mock.decide = decide));
    const actions = await skillInstall({ HOME: launch.home, CROSSTALK_HOME: crosstalkHome }, cwd, '--claude');
    expect(actions.find((a) => a.part === 'hooks')).toMatchObject({ change: 'update', path: join(launch.home, '.claude', 'settings.json') });

    const claude = await inPane('claude-code', launch.argv, cwd);
    const logs = async () => `${await claude.screen()}\nrequests: ${witness.requests.map((r) => `${r.payload.hook_event_name}${r.wait ? '(wait)' : ''}`)}`;
    /** The prompt of a turn a waiter started: Claude Code hands the waiter's stderr over in a system reminder. */
    const woken = (marker: string, after: number) =>
      until(
        `the turn the waiter started with ${marker}`,
        () => witness.requests.slice(after).find((r) => r.payload.hook_event_name === 'UserPromptSubmit' && String(r.payload.prompt).includes(marker)),
        logs,
      );
    await claude.ready();
    const atStart = await until('the SessionStart waiter', () => witness.waiter('claude-code', 'SessionStart'), logs);
    expect(witness.events('claude-code')).toEqual(['SessionStart']);

    // Idle at its prompt, nothing typed: the waiter's exit 2 alone starts a turn.
    let seen = witness.requests.length;
    atStart.wake('RUN: echo woken-at-session-start');
    await woken('woken-at-session-start', seen);
    const atStop = await until('the Stop waiter', () => witness.waiter('claude-code', 'Stop', seen), logs);
    // The two Stop handlers run side by side: the waiter may be heard from first.
    await until('the Stop report', () => witness.events('claude-code').includes('Stop'), logs);
    expect(witness.events('claude-code')).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop']);

    seen = witness.requests.length;
    atStop.wake('RUN: echo woken-at-stop');
    await woken('woken-at-stop', seen);
    await until('the Stop waiter of that turn', () => witness.waiter('claude-code', 'Stop', seen), logs);
    expect(mock.failures).toEqual([]);
  });
});
