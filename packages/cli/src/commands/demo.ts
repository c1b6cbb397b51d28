// `crosstalk demo`: two sessions on two simulated hosts hold a real conversation in tmux.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { runDemo } from '../demo/run.js';
import { DemoInterrupted } from '../demo/stage.js';
import { INTERRUPTED } from '../lib/signal.js';
import { say } from '../output.js';
import type { DEMO_OPTIONS } from '../spec/setup.js';

/** The scripted session's program: beside this code in the bundle, in dist/demo otherwise. */
function sessionScript(): string {
  const bundled = fileURLToPath(new URL('./demo-session.js', import.meta.url));
  return existsSync(bundled) ? bundled : fileURLToPath(new URL('../demo/session.js', import.meta.url));
}

const handler: CommandHandler<typeof DEMO_OPTIONS> = async (ctx, _args, options) => {
  const { keep } = options;
  let result: Awaited<ReturnType<typeof runDemo>>;
  try {
    result = await runDemo({
      tmpRoot: tmpdir(),
      nodePath: ctx.nodePath,
      cliPath: ctx.binPath,
      sessionScript: sessionScript(),
      env: { PATH: ctx.env.PATH, HOME: ctx.env.HOME, LANG: ctx.env.LANG, SYSTEMROOT: ctx.env.SYSTEMROOT },
      keep,
      signal: ctx.signal,
      say: (line) => say(ctx, line),
    });
  } catch (err) {
    if (err instanceof DemoInterrupted) return { text: 'interrupted', exitCode: INTERRUPTED };
    throw err;
  }
  const c = result.conversation;
  const data = {
    id: c.id,
    status: c.status,
    turns: c.turns.length,
    decision: c.decision?.text ?? null,
    resolution: c.resolution?.text ?? null,
    copies: result.copies,
    identical: result.identical,
    kept: result.kept,
    markdown: result.markdown,
  };
  const where = result.copies.map((x) => `  ${x.path}   (host ${x.host}, session ${x.session})`);
  const text = [
    `The markdown copies, one per host${result.identical ? ', byte-identical' : ''}:`,
    ...where,
    result.kept ? `(kept in ${result.kept})` : '(removed now; run `crosstalk demo --keep` to keep them)',
    '',
    result.markdown,
  ].join('\n');
  return { data, text, exitCode: EXIT.ok };
};
export default handler;
