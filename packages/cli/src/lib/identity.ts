// Who is acting: `--as <session>`, else the session `crosstalk join` recorded for this tmux pane.
import { parseTmuxEnv } from '@crosstalk/agent/tmux-env';
import { readLocalSessions, type LocalSession } from '@crosstalk/agent/local-sessions';
import type { HomeLayout } from '@crosstalk/agent/home';
import { CrosstalkError } from '@crosstalk/core';
import type { CliContext } from '../handler.js';

/** The sessions joined in this pane, newest first (a pane re-joined under a new name uses that). */
export function sessionsInPane(sessions: readonly LocalSession[], tmux: CliContext['tmux']): LocalSession[] {
  if (!tmux) return [];
  const parsed = parseTmuxEnv(tmux.env);
  if (!parsed) return [];
  return sessions
    .filter((s) => s.wake.type === 'tmux' && s.wake.pane === tmux.pane && s.wake.socket === parsed.socket)
    .sort((a, b) => (a.joinedAt < b.joinedAt ? 1 : a.joinedAt > b.joinedAt ? -1 : 0));
}

/**
 * The acting session's name (`as`, already checked as a name), or NO_SESSION saying how to get one:
 * from a person's own shell, --as a session of this host, or a session joined for the person;
 * for moderation, also the relay admin (`admin`: the command takes --admin).
 */
export async function resolveSession(
  ctx: Pick<CliContext, 'tmux'>,
  layout: HomeLayout,
  as: string | undefined,
  options: { admin?: boolean } = {},
): Promise<string> {
  if (as !== undefined) return as;
  const admin = options.admin ? '; or, on the relay machine, act as the relay admin with --admin' : '';
  if (ctx.tmux) {
    const found = sessionsInPane(await readLocalSessions(layout.sessions), ctx.tmux)[0];
    if (found) return found.name;
    throw new CrosstalkError('NO_SESSION', `no session identity: no session is joined in tmux pane ${ctx.tmux.pane}`, {
      hint: `run \`crosstalk join --as <name>\` in this pane first, or pass --as <session>${admin}`,
    });
  }
  throw new CrosstalkError('NO_SESSION', 'no session identity: this is not the tmux pane of a joined session, and no --as was given', {
    hint:
      "pass --as <session> (this host's sessions: `crosstalk sessions`); to act as yourself from this shell, join once without a terminal: " +
      `\`crosstalk join --as <you> --no-wake\`, then --as <you>${admin}`,
  });
}
