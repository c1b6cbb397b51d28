// A private tmux server for tests: its own socket in a temp dir (never the default server, never a
// session the test did not start), a placeholder window that keeps it up, and kill-server at the end.
import { execa } from 'execa';

export interface Pane {
  pane: string;
  panePid: number;
}

export class PrivateTmux {
  private started = false;

  constructor(
    /** Absolute path of the server socket. */
    readonly socket: string,
    /** The environment tmux (and so every pane) starts with. */
    private readonly env: Record<string, string | undefined>,
  ) {}

  async run(args: string[], input?: string): Promise<string> {
    const { stdout } = await execa('tmux', ['-S', this.socket, ...args], {
      env: this.env,
      extendEnv: false,
      timeout: 10_000,
      ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    });
    return stdout;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.run(['-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '160', '-y', '40', 'sleep', '100000']);
    this.started = true;
  }

  /**
   * A new window running `argv` directly (no shell), with extra environment variables for its
   * process; returns the pane id and the pid of its first process.
   */
  async window(argv: string[], env: Record<string, string> = {}): Promise<Pane> {
    await this.start();
    const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const out = await this.run(['new-window', '-d', '-t', 'main', ...vars, '-P', '-F', '#{pane_id} #{pane_pid}', ...argv]);
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
      for (const line of panes) parts.push(`--- tmux pane ${line}\n${await this.capture(line.split(' ')[0] as string).catch((e: Error) => e.message)}`);
      return parts.join('\n');
    } catch (err) {
      return `tmux: ${(err as Error).message}`;
    }
  }

  async kill(): Promise<void> {
    await execa('tmux', ['-S', this.socket, 'kill-server'], { env: this.env, extendEnv: false, reject: false, timeout: 10_000, stdin: 'ignore' });
    this.started = false;
  }
}

export async function tmuxInstalled(): Promise<boolean> {
  const r = await execa('tmux', ['-V'], { reject: false, timeout: 5_000, stdin: 'ignore' });
  return r.exitCode === 0;
}
