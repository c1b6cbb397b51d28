// The stage of the real-agent tier: a lab (real relay, real host agents, each host's private tmux
// server), the mock model, and real Claude Code and Codex sessions started in tmux panes, each
// joined to crosstalk from its pane's shell before the agent starts (as the README says), then left
// to run. Everything is read back through the product's own screen readers and the real CLI.
import { mkdir, readFile } from 'node:fs/promises';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePaneView, type PaneView } from '../../../packages/agent/src/terminals/tmux/submit.js';
import { screenReaderFor, type ScreenVerdict } from '../../../packages/agent/src/terminals/screens/index.js';
import { CLI_BIN, explain, Lab, NODE, type Host, type PaneSession } from '../../harness/index.js';
import { prepareClaudeCode, type ClaudePermissions } from '../launch/claude-code.js';
import { prepareCodex, type CodexPermissions } from '../launch/codex.js';
import { MockModel } from '../mock-model/server.js';

export type RealKind = 'claude-code' | 'codex';

export interface SessionOptions {
  /** Claude Code: manual (asks for every command) or auto; Codex: its defaults, `ask` or `bypass`. */
  permissions?: ClaudePermissions | CodexPermissions;
  /** Run `crosstalk skill install` into the agent's own home before it starts. */
  skill?: boolean;
  /** Codex with `ask`: the command prefixes it asks about. */
  askFor?: string[][];
}

export interface RealSession extends PaneSession {
  kind: RealKind;
  /** The agent's private HOME (and CODEX_HOME for Codex). */
  home: string;
  /** The screen with styles, and the cursor. */
  view(): Promise<PaneView>;
  /** What the product's screen reader makes of the screen right now. */
  verdict(): Promise<ScreenVerdict>;
  /** Keys as tmux names them (`Enter`, `C-u`, `BSpace`, `1`). */
  keys(...keys: string[]): Promise<void>;
  /** Text typed key by key, as a person would. */
  type(text: string): Promise<void>;
  /** Types a prompt as a person would and submits it: Enter once the text shows. */
  prompt(text: string): Promise<void>;
}

/** Short retries, so a wake-up held by a dialog or a draft goes through soon after it is gone. */
const TUNING = { wakeRetry: { baseMs: 500, capMs: 2_000, maxDeferrals: 200 } };

export class Stage {
  private readonly cleanups: Array<() => Promise<void>> = [];
  private readonly sessions: RealSession[] = [];

  private constructor(
    readonly lab: Lab,
    readonly mock: MockModel,
    /** A folder with a `crosstalk` command, first on every agent's PATH. */
    readonly bin: string,
  ) {}

  static async create(name: string): Promise<Stage> {
    const lab = await Lab.create(`agents-${name}`);
    const mock = await MockModel.start();
    const bin = join(lab.dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'crosstalk'), `#!/bin/sh\nexec ${JSON.stringify(NODE)} ${JSON.stringify(CLI_BIN)} "$@"\n`);
    await chmod(join(bin, 'crosstalk'), 0o755);
    const stage = new Stage(lab, mock, bin);
    lab.attachFile('mock model exchanges', join(lab.dir, 'mock-exchanges.json'));
    await lab.startRelay();
    return stage;
  }

  /** An enrolled host with its agent running (short wake-up retries), with these wake settings. */
  async host(name: string, wake: Record<string, number> = {}): Promise<Host> {
    const host = await this.lab.host(name);
    if (Object.keys(wake).length > 0) {
      const path = join(host.home, 'config.json');
      const config = JSON.parse(await readFile(path, 'utf8')) as { wake?: Record<string, number> };
      config.wake = { ...config.wake, ...wake };
      await writeFile(path, JSON.stringify(config, null, 2));
    }
    await this.lab.startAgent(host, { tuning: TUNING });
    return host;
  }

  /** What a session is doing, as every host sees it (`crosstalk sessions --json`). */
  async state(host: Host, session: string, since = 0): Promise<string | undefined> {
    const r = await host.run(['sessions', '--json']);
    if (r.exitCode !== 0) return undefined;
    const s = r.json<{ sessions: Array<{ name: string; state?: string; stateSince?: string }> }>().sessions.find((x) => x.name === session);
    // A state older than `since` is one the caller already knows of (idle at start, before a prompt).
    return s?.stateSince && Date.parse(s.stateSince) >= since ? s.state : undefined;
  }

  /** Every receipt about a session in a conversation, oldest first, as `status/reason#attempt`. */
  async receipts(conversation: string, session: string): Promise<string[]> {
    const relay = this.lab.relay;
    if (!relay) throw new Error('the stage has no relay');
    const admin = await relay.adminClient();
    const { receipts } = await admin.listReceipts(conversation);
    return receipts.filter((r) => r.session === session).map((r) => `${r.status}${r.reason ? `/${r.reason}` : ''}#${r.attempt}`);
  }

  /** A real coding agent in a new pane, joined as `name`, at its empty prompt. */
  async start(kind: RealKind, host: Host, name: string, options: SessionOptions = {}): Promise<RealSession> {
    const cwd = join(this.lab.dir, 'projects', name);
    await mkdir(cwd, { recursive: true });
    const common = { modelUrl: this.mock.url, cwd, pathDirs: [this.bin], env: { CROSSTALK_HOME: host.home, LANG: 'C.UTF-8' } };
    const launch =
      kind === 'claude-code'
        ? await prepareClaudeCode({
            ...common,
            permissions: (options.permissions as ClaudePermissions | undefined) ?? 'manual',
            settings: { disableAgentView: true },
          })
        : await prepareCodex({
            ...common,
            permissions: (options.permissions as CodexPermissions | undefined) ?? 'default',
            ...(options.askFor ? { askFor: options.askFor } : {}),
          });
    this.cleanups.push(launch.cleanup);
    const codexHome = 'codexHome' in launch && typeof launch.codexHome === 'string' ? launch.codexHome : undefined;
    if (options.skill) {
      const env = { HOME: launch.home, ...(codexHome ? { CODEX_HOME: codexHome } : {}) };
      const r = await host.run(['skill', 'install', kind === 'claude-code' ? '--claude' : '--codex', '--json'], { env, cwd });
      if (r.exitCode !== 0) throw new Error(`skill install failed\n${explain(r)}`);
    }
    const joinLog = join(this.lab.dir, `join-${name}.log`);
    this.lab.attachFile(`join ${name}`, joinLog);
    const tmux = host.tmux;
    // tmux gives a new window the PATH of its client, whatever -e says: the wrapper is named by its path.
    const script = '"$4" join --as "$1" --kind "$2" >"$3" 2>&1 || { cat "$3"; sleep 600; exit 1; }; shift 4; exec "$@"';
    const { pane } = await tmux.window(
      ['sh', '-c', script, 'sh', name, kind, joinLog, join(this.bin, 'crosstalk'), ...launch.argv],
      { CROSSTALK_HOME: host.home },
      cwd,
    );
    const run = (args: string[]) => tmux.run(args);
    const reader = screenReaderFor(kind);
    const view = async (): Promise<PaneView> =>
      parsePaneView(await run(['capture-pane', '-p', '-e', '-t', pane, ';', 'display-message', '-p', '-t', pane, '#{cursor_x} #{cursor_y}']), true);
    const session: RealSession = {
      name,
      kind,
      host,
      pane,
      home: launch.home,
      view,
      verdict: async () => reader!.before(await view()),
      keys: async (...keys) => void (await run(['send-keys', '-t', pane, ...keys])),
      type: async (text) => void (await run(['send-keys', '-t', pane, '-l', text])),
      prompt: async (text) => {
        await session.type(text);
        // Keys that arrive together read as a paste, where Enter is a new line: Enter waits for the text to show.
        const tail = text.slice(-20);
        await this.lab.waitFor(`the prompt typed into ${name}`, async () => (await view()).lines.some((l) => l.includes(tail)));
        // An Enter that lands while the agent still counts the keys as a paste is taken as a new
        // line or dropped; as a person would, press it again while the text sits in the input.
        for (let press = 1; ; press++) {
          await session.keys('Enter');
          const left = await this.lab
            .waitFor(`the prompt submitted in ${name}`, async () => (await session.verdict()).state !== 'draft', { timeoutMs: 3_000 })
            .then(
              () => true,
              () => false,
            );
          if (left || press === 3) break;
        }
      },
    };
    this.sessions.push(session);
    await this.lab.waitFor(`${kind} ${name} at its empty prompt`, async () => (await session.verdict()).state === 'ready', { timeoutMs: 60_000 });
    return session;
  }

  /** Waits with every process's logs, the panes and the mock's exchanges on a timeout. */
  waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
    return this.lab.waitFor(
      what,
      async () => {
        await this.saveExchanges();
        return check();
      },
      { timeoutMs },
    );
  }

  /** The newest receipt of a session in a conversation, as `crosstalk status --json` shows it. */
  async receipt(host: Host, conversation: string, session: string): Promise<{ status: string; reason: string | null; turn: number } | undefined> {
    const r = await host.run(['status', conversation, '--json']);
    if (r.exitCode !== 0) return undefined;
    return r.json<{ receipts: Array<{ session: string; status: string; reason: string | null; turn: number }> }>().receipts.find((x) => x.session === session);
  }

  /** The conversation as the relay has it. */
  async conversation(host: Host, id: string): Promise<{ status: string; turns: Array<{ n: number; author: string; body: string }> }> {
    const r = await host.run(['read', id, '--json']);
    if (r.exitCode !== 0) throw new Error(explain(r));
    return r.json<{ conversation: { status: string; turns: Array<{ n: number; author: string; body: string }> } }>().conversation;
  }

  /** Opens a conversation as `as` (a session of `host`) with `others`; returns its id. */
  async open(host: Host, as: string, others: string[], extra: string[] = []): Promise<string> {
    const r = await host.run(['open', '--as', as, '--topic', `talk with ${others.join(' and ')}`, '--with', others.join(','), ...extra, '--json'], {
      input: 'Which response shape should GET /users use?',
    });
    if (r.exitCode !== 0) throw new Error(explain(r));
    return r.json<{ id: string }>().id;
  }

  private async saveExchanges(): Promise<void> {
    const data = { failures: this.mock.failures, exchanges: this.mock.exchanges.slice(-40) };
    await writeFile(join(this.lab.dir, 'mock-exchanges.json'), JSON.stringify(data, null, 1)).catch(() => undefined);
  }

  /** Runs at cleanup, after the lab's processes are stopped. */
  onCleanup(clean: () => Promise<void>): void {
    this.cleanups.push(clean);
  }

  async cleanup(): Promise<void> {
    await this.saveExchanges();
    await this.lab.cleanup();
    await this.mock.close();
    for (const clean of this.cleanups) await clean().catch(() => undefined);
  }

  /** The file a session wrote, if any (for asserting that a pending command did not run). */
  static async exists(path: string): Promise<boolean> {
    return readFile(path).then(
      () => true,
      () => false,
    );
  }
}
