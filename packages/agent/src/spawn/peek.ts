// What `crosstalk peek` shows: the last lines of a session's terminal as it is on this host, its
// tmux pane's capture or its console's screen buffer (Windows). Control characters are removed by
// whoever prints them; here the text is only bounded.
import { CrosstalkError, type WakeTarget } from '@crosstalk/core';
import { execa } from 'execa';
import { consoleScreen } from '../terminals/windows-console/helper-calls.js';

/** Lines a peek shows at most, and characters per line. */
export const PEEK_MAX_LINES = 500;
const MAX_LINE = 1_000;

export interface Peeked {
  /** The tmux pane, or `console <pid>`. */
  pane: string;
  lines: string[];
}

/** The last `lines` lines of the terminal; SESSION_NOT_FOUND when it is gone, INVALID_REQUEST when it has none. */
export async function peekTerminal(session: string, wake: WakeTarget, lines: number): Promise<Peeked> {
  const n = Math.max(1, Math.min(lines, PEEK_MAX_LINES));
  // The screen's blank rows below what was drawn do not count as lines.
  const bound = (text: string[]) => {
    const kept = text.map((l) => l.trimEnd());
    while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
    return kept.slice(-n).map((l) => l.slice(0, MAX_LINE));
  };
  if (wake.type === 'tmux') {
    const r = await execa('tmux', ['-S', wake.socket, 'capture-pane', '-p', '-J', '-t', wake.pane, '-S', `-${n}`], {
      timeout: 10_000,
      reject: false,
      env: { TMUX: undefined, TMUX_PANE: undefined },
      stdin: 'ignore',
      maxBuffer: 4 * 1024 * 1024,
    });
    if (r.exitCode !== 0) throw new CrosstalkError('SESSION_NOT_FOUND', `the terminal of ${session} is gone (${String(r.stderr).slice(0, 200)})`);
    return { pane: wake.pane, lines: bound(String(r.stdout).replace(/\n+$/, '').split('\n')) };
  }
  if (wake.type === 'console') {
    try {
      return { pane: `console ${wake.pid}`, lines: bound((await consoleScreen(wake.pid, n)).lines) };
    } catch (err) {
      throw new CrosstalkError('SESSION_NOT_FOUND', `the console of ${session} cannot be read: ${String(err).slice(0, 300)}`);
    }
  }
  throw new CrosstalkError('INVALID_REQUEST', `${session} has no terminal to read (it joined without one)`);
}
