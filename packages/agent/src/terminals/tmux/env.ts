// Reading `$TMUX`, kept apart from the rest of terminals/ so the CLI can find the joined pane without
// loading the process and tmux code.

/** Splits `$TMUX`; the socket path may itself hold commas, so the numbers are taken from the end. */
export function parseTmuxEnv(value: string): { socket: string; serverPid: number } | null {
  const m = /^(.+),(\d+),(\d+)$/.exec(value);
  if (!m) return null;
  const socket = m[1]!;
  const serverPid = Number(m[2]);
  if (!socket.startsWith('/') || !Number.isSafeInteger(serverPid)) return null;
  return { socket, serverPid };
}
