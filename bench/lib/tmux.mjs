// A private tmux server on a temp socket (never the default server), for the wake-up benchmark.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** `baseEnv`: the environment the bench was started with. */
export async function startTmux(dir, argv, baseEnv) {
  const env = { ...baseEnv, TMUX: '', TMUX_PANE: '', LANG: 'C.UTF-8' };
  const socket = join(dir, 'tmux.sock');
  const tmux = async (args) => (await run('tmux', ['-S', socket, ...args], { env, timeout: 10_000 })).stdout;
  await tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'bench', '-x', '200', '-y', '50', ...argv]);
  const [pane, pid] = (await tmux(['display-message', '-p', '-t', 'bench', '#{pane_id} #{pane_pid}'])).trim().split(' ');
  return {
    socket,
    pane,
    panePid: Number(pid),
    tmux,
    capture: () => tmux(['capture-pane', '-p', '-t', pane]),
    async stop() {
      await tmux(['kill-server']).catch(() => undefined);
    },
  };
}
