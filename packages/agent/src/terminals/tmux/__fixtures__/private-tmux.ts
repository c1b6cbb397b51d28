// A private tmux server for tests: its own socket in a temp dir (never the default server, never a
// session the test did not start), a placeholder window that keeps it up, and kill-server at the end.
// Given a network namespace, the server starts inside it, so every pane (and the coding agent and
// CLI runs in it) lives on that host's network. Shared by the agent's tmux tests (tmux-lab.ts)
// and the end-to-end harness (test/harness), where each host of a lab has its own server.
import { execa } from 'execa';

export interface Pane {
  pane: string;
  panePid: number;
}

export interface PrivateTmuxOptions {
  /** A network namespace to start the server in. */
  netns?: string | undefined;
  /** The size of every window; 200 × 50 by default. */
  width?: number;
  height?: number;
}

export class PrivateTmux {
  private started = false;

  constructor(
    /** Absolute path of the server socket. */
    readonly socket: string,
    /** The whole environment tmux (and so every pane) starts with. */
    private readonly env: Record<string, string | undefined>,
    private readonly options: PrivateTmuxOptions = {},
  ) {}

  /** `tmux -S <socket> …`, its stdout. */
  async run(args: string[], options: { inNetns?: boolean } = {}): Promise<string> {
    const argv = ['-S', this.socket, ...args];
    const netns = options.inNetns ? this.options.netns : undefined;
    const [file, full] = netns ? ['ip', ['netns', 'exec', netns, 'tmux', ...argv]] : ['tmux', argv];
    const { stdout } = await execa(file, full, { env: this.env, extendEnv: false, timeout: 10_000, stdin: 'ignore' });
    return stdout;
  }

  async start(): Promise<void> {
    if (this.started) return;
    const size = ['-x', String(this.options.width ?? 200), '-y', String(this.options.height ?? 50)];
    // The server forks from this client and keeps its namespace; later clients only talk to the socket.
    await this.run(['-f', '/dev/null', 'new-session', '-d', '-s', 'main', ...size, 'sleep', '100000'], { inNetns: true });
    this.started = true;
  }

  /**
   * A new window running `argv` directly (no shell), with extra environment variables for its
   * process (not PATH: tmux gives a window its client's PATH), in `cwd` when given; returns the
   * pane id and the pid of its first process.
   */
  async window(argv: string[], env: Record<string, string> = {}, cwd?: string): Promise<Pane> {
    await this.start();
    const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const dir = cwd === undefined ? [] : ['-c', cwd];
    const out = await this.run(['new-window', '-d', '-t', 'main', ...dir, ...vars, '-P', '-F', '#{pane_id} #{pane_pid}', ...argv]);
    const [pane, pid] = out.trim().split(' ');
    return { pane: pane as string, panePid: Number(pid) };
  }

  async capture(pane: string): Promise<string> {
    return this.run(['capture-pane', '-p', '-J', '-t', pane]);
  }

  /** Every pane's screen, for failure messages. */
  async screens(): Promise<string> {
    if (!this.started) return '';
    try {
      const panes = (await this.run(['list-panes', '-a', '-F', '#{pane_id} pid=#{pane_pid} dead=#{pane_dead} #{pane_current_command}'])).split('\n');
      const parts: string[] = [];
      for (const line of panes)
        parts.push(`--- tmux ${this.socket} pane ${line}\n${await this.capture(line.split(' ')[0] as string).catch((e: Error) => e.message)}`);
      return parts.join('\n');
    } catch (err) {
      return `tmux ${this.socket}: ${(err as Error).message}`;
    }
  }

  async kill(): Promise<void> {
    await execa('tmux', ['-S', this.socket, 'kill-server'], { env: this.env, extendEnv: false, reject: false, timeout: 10_000, stdin: 'ignore' });
    this.started = false;
  }
}
