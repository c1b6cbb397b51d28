// Who acts, for the posting commands: `--as` as given, else the session joined in this tmux pane
// (read from the home's session list, with its schema: only loaded when --as is missing, which the
// wake-up line's own command never is).
import { resolveHome } from '@crosstalk/core/home';
import type { CliContext } from '../handler.js';

export async function actingSession(
  ctx: Pick<CliContext, 'tmux' | 'crosstalkHome' | 'userHome'>,
  as: string | undefined,
  options: { admin?: boolean } = {},
): Promise<string> {
  if (as !== undefined) return as;
  const [{ resolveSession }, { homeLayout }] = await Promise.all([import('./identity.js'), import('@crosstalk/agent/home')]);
  return resolveSession(ctx, homeLayout(resolveHome({ crosstalkHome: ctx.crosstalkHome, userHome: ctx.userHome })), as, options);
}
