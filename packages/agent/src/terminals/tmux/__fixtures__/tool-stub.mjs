// Stands in for `crosstalk join` run by an agent's shell tool: writes its pid and the tmux
// variables it inherited to <out>, then stays alive until killed so its ancestors can be read.
import { writeFileSync } from 'node:fs';

const out = process.argv[2];
writeFileSync(out, JSON.stringify({ pid: process.pid, tmux: process.env.TMUX ?? null, tmuxPane: process.env.TMUX_PANE ?? null }));
setInterval(() => {}, 60_000);
