// A private tmux server per host: its own socket in the suite's temp dir (never the default
// server), started inside the host's network namespace when there is one, so every pane (and the
// coding agent and CLI runs in it) lives on that host's network. Killed at the end.
import { execa } from 'execa';

export interface PaneRef {
  pane: string;
  panePid: number;
}

export class TmuxServer {
  private started = false;

  constructor(
    readonly socket: string,
    private readonly env: Record<string, string | undefined>,
    private readonly netns?: string,
  ) {}

  async run(args: string[], options: { input?: string; inNetns?: boolean } = {}): Promise<string> {
    const argv = ['-S', this.socket, ...args];
    const [file, full] = options.inNetns && this.netns ? ['ip', ['netns', 'exec', this.netns, 'tmux', ...argv]] : ['tmux', argv];
    const { stdout } = await execa(file, full, {
      env: this.env,
      extendEnv: false,
      timeout: 10_000,
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    });
    return String(stdout);
  }

  async start(): Promise<void> {
    if (this.started) return;
    // The server forks from this client and keeps its namespace; later clients only talk to the socket.
    await this.run(['-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '200', '-y', '50', 'sleep', '100000'], { inNetns: true });
    this.started = true;
  }

  /** A new window running `argv` directly (no shell) with extra environment; its pane id and pid. */
  async window(argv: string[], env: Record<string, string> = {}): Promise<PaneRef> {
    await this.start();
    const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const out = await this.run(['new-window', '-d', '-t', 'main', ...vars, '-P', '-F', '#{pane_id} #{pane_pid}', ...argv]);
    const [pane, pid] = out.trim().split(' ');
    return { pane: pane as string, panePid: Number(pid) };
  }

  async capture(pane: string): Promise<string> {
    return this.run(['capture-pane', '-p', '-J', '-t', pane]);
  }

  async screens(): Promise<string> {
    if (!this.started) return '';
    try {
      const panes = (await this.run(['list-panes', '-a', '-F', '#{pane_id} pid=#{pane_pid} dead=#{pane_dead} #{pane_current_command}'])).split('\n');
      const parts: string[] = [];
      for (const line of panes) parts.push(`--- tmux ${this.socket} pane ${line}\n${await this.capture(line.split(' ')[0] as string).catch((e: Error) => e.message)}`);
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
