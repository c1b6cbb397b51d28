// `crosstalk hook` runs from bin.ts before the program loads (see hook/run.ts): coding agents call
// it on every event of every session. This handler is reached only through the program itself
// (main() called directly) and runs the same code with what the context carries.
import { EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { runHook } from '../hook/run.js';
import type { HOOK_OPTIONS } from '../spec/setup.js';

const handler: CommandHandler<typeof HOOK_OPTIONS> = async (ctx, args, options) => {
  const env = { ...ctx.env, TMUX: ctx.tmux?.env, TMUX_PANE: ctx.tmux?.pane };
  const code = await runHook({
    args: [...args, ...(options.wait ? ['--wait'] : [])],
    env,
    stdin: ctx.stdin,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
    platform: ctx.platform,
    userHome: ctx.userHome,
    pid: ctx.pid,
    ppid: process.ppid,
    uid: ctx.uid ?? 0,
  });
  return { exitCode: code === 0 ? EXIT.ok : code };
};
export default handler;
