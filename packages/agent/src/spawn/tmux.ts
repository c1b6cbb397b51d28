// The agent's own tmux server for spawned coding agents: a private socket in the crosstalk home,
// never the user's default server, so nothing else shares it and an agent restart finds every
// spawned session again by listing it. Every call is an argument array with a timeout.
import { join } from 'node:path';
import { createTmuxRunner, TmuxError, type TmuxRunner } from '../terminals/tmux/command.js';
import { type PaneView, paneViewArgs, parsePaneView } from '../terminals/tmux/submit.js';

export interface SpawnedPane {
  /** The tmux session, named after the crosstalk session. */
  name: string;
  pane: string;
  panePid: number;
  dead: boolean;
}

/** Where the private server's socket and the spawn records are, in the crosstalk home. */
export function spawnDir(home: string): string {
  return join(home, 'spawn');
}
export function spawnSocket(home: string): string {
  return join(spawnDir(home), 'tmux.sock');
}

/** A tmux wait-for channel that holds a new pane's command until its session is joined. */
const gateOf = (name: string): string => `crosstalk-go-${name}`;

export class SpawnTmux {
  private readonly run: TmuxRunner;

  constructor(
    readonly socket: string,
    options: { tmux?: string; timeoutMs?: number } = {},
  ) {
    this.run = createTmuxRunner({ tmux: options.tmux ?? 'tmux', socket, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  /**
   * A new detached session `name` in `cwd` whose pane first waits at a gate, then execs `argv` with
   * `env` added: the pane id is known (and joined) before the coding agent can report its start.
   * No user config is read: the server behaves the same on every host.
   */
  async start(name: string, cwd: string, argv: readonly string[], env: Record<string, string>, tmux = 'tmux'): Promise<SpawnedPane> {
    const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const script = '"$0" -S "$1" wait-for "$2" && shift 2 && exec "$@"';
    const out = await this.run([
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      '200',
      '-y',
      '50',
      '-c',
      cwd,
      ...vars,
      '-P',
      '-F',
      '#{pane_id} #{pane_pid}',
      'sh',
      '-c',
      script,
      tmux,
      this.socket,
      gateOf(name),
      ...argv,
    ]);
    const [pane, pid] = out.trim().split(' ');
    return { name, pane: pane ?? '', panePid: Number(pid), dead: false };
  }

  /** Lets the pane's command start (see start). */
  async release(name: string): Promise<void> {
    await this.run(['wait-for', '-S', gateOf(name)]);
  }

  /** Every session on the private server; none when it is not running. */
  async list(): Promise<SpawnedPane[]> {
    let out: string;
    try {
      out = await this.run(['list-panes', '-a', '-F', '#{session_name} #{pane_id} #{pane_pid} #{pane_dead}']);
    } catch (err) {
      if (err instanceof TmuxError && err.gone) return [];
      throw err;
    }
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [name, pane, pid, dead] = l.split(' ');
        return { name: name ?? '', pane: pane ?? '', panePid: Number(pid), dead: dead === '1' };
      });
  }

  /** The last `lines` lines of a pane's screen and scrollback, as plain text. */
  async capture(pane: string, lines: number): Promise<string> {
    return this.run(['capture-pane', '-p', '-J', '-t', pane, '-S', `-${lines}`]);
  }

  /** The pane's screen with its styles and the cursor, for the screen readers. */
  async view(pane: string): Promise<PaneView> {
    return parsePaneView(await this.run(paneViewArgs(pane, true)), true);
  }

  /** Pastes `text` into the pane (bracketed), as a wake-up is typed; Enter is its own call. */
  async paste(pane: string, text: string): Promise<void> {
    const buffer = `crosstalk-spawn-${process.pid}-${Date.now()}`;
    await this.run(['load-buffer', '-b', buffer, '-'], text);
    await this.run(['paste-buffer', '-p', '-d', '-b', buffer, '-t', pane]);
  }

  async enter(pane: string): Promise<void> {
    await this.run(['send-keys', '-t', pane, 'Enter']);
  }

  async killSession(name: string): Promise<void> {
    try {
      await this.run(['kill-session', '-t', `=${name}`]);
    } catch (err) {
      if (!(err instanceof TmuxError && err.gone)) throw err;
    }
  }

  /** Stops the server once it holds no session (it exits by itself then; this makes sure). */
  async stopIfEmpty(): Promise<void> {
    if ((await this.list()).length > 0) return;
    try {
      await this.run(['kill-server']);
    } catch (err) {
      if (!(err instanceof TmuxError && err.gone)) throw err;
    }
  }
}
