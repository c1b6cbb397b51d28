// A private tmux server on a socket in the demo's temp dir: never the user's server, and killed
// with everything in it when the demo ends.
import { execa } from 'execa';
import { CrosstalkError } from '@crosstalk/core';

export class PrivateTmux {
  constructor(
    readonly socket: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  async run(args: string[]): Promise<string> {
    const { stdout } = await execa('tmux', ['-S', this.socket, ...args], { env: this.env, extendEnv: false, timeout: 10_000, stdin: 'ignore' });
    return stdout;
  }

  /** A window running `argv` directly (no shell); returns its pane id. */
  async window(name: string, argv: string[]): Promise<string> {
    const first = !(await this.alive());
    const size = ['-x', '160', '-y', '40'];
    const out = first
      ? await this.run(['-f', '/dev/null', 'new-session', '-d', '-s', 'demo', '-n', name, ...size, '-P', '-F', '#{pane_id}', ...argv])
      : await this.run(['new-window', '-d', '-t', 'demo', '-n', name, '-P', '-F', '#{pane_id}', ...argv]);
    return out.trim();
  }

  /** Whether the server runs the demo's session (tmux answers no with a non-zero exit). */
  async alive(): Promise<boolean> {
    const r = await execa('tmux', ['-S', this.socket, 'has-session', '-t', 'demo'], {
      env: this.env,
      extendEnv: false,
      timeout: 10_000,
      reject: false,
      stdin: 'ignore',
    });
    return r.exitCode === 0;
  }

  async capture(pane: string): Promise<string> {
    // For diagnostics: a pane that cannot be captured says why, and the failure it explains goes on.
    return this.run(['capture-pane', '-p', '-J', '-t', pane]).catch((err: Error) => `(no capture: ${err.message})`);
  }

  async kill(): Promise<void> {
    await execa('tmux', ['-S', this.socket, 'kill-server'], { env: this.env, extendEnv: false, timeout: 10_000, reject: false, stdin: 'ignore' });
  }
}

/** tmux's version, or WAKE_FAILED saying how to install it. */
export async function requireTmux(env: Record<string, string | undefined>): Promise<string> {
  const r = await execa('tmux', ['-V'], { env, extendEnv: false, timeout: 5_000, reject: false, stdin: 'ignore' });
  if (r.exitCode === 0) return String(r.stdout).trim();
  throw new CrosstalkError('WAKE_FAILED', 'crosstalk demo needs tmux, and tmux is not installed: the demo types wake-ups into tmux panes', {
    hint: 'install tmux (Debian/Ubuntu: sudo apt install tmux; Fedora: sudo dnf install tmux; macOS: brew install tmux), then run `crosstalk demo` again',
  });
}
