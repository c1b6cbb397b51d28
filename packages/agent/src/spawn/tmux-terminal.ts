// A spawned coding agent in a detached session of the agent's private tmux server (Linux, macOS):
// the gate is a tmux wait-for channel, the first task is pasted as a wake-up is, and stopping is
// SIGTERM to the pane's processes, then the tmux session closed, then SIGKILL.
import type { SessionKind, WakeTarget } from '@crosstalk/core';
import { processAlive } from '../os/process-alive.js';
import { readProcessTree } from '../terminals/processes/read.js';
import { screenReaderFor } from '../terminals/screens/index.js';
import type { PaneView } from '../terminals/tmux/submit.js';
import type { SpawnTerminal, StartedTerminal, TerminalRef } from './terminal.js';
import { SpawnTmux } from './tmux.js';

/** How long a coding agent gets to exit after SIGTERM, then after its tmux session is closed. */
const GRACE_MS = 5_000;
const HANGUP_MS = 2_000;

export const waitUntil = async (check: () => boolean | Promise<boolean>, deadline: number, stepMs = 50, cancelled = () => false): Promise<boolean> => {
  while (Date.now() < deadline && !cancelled()) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
};

export class TmuxTerminal implements SpawnTerminal {
  readonly tmux: SpawnTmux;

  constructor(
    socket: string,
    private readonly o: { platform: NodeJS.Platform; enterDelayMs: number },
  ) {
    this.tmux = new SpawnTmux(socket);
  }

  start(name: string, cwd: string, argv: readonly string[], env: Record<string, string>): Promise<StartedTerminal> {
    return this.tmux.start(name, cwd, argv, env);
  }

  release(ref: TerminalRef): Promise<void> {
    return this.tmux.release(ref.name);
  }

  target(ref: TerminalRef): WakeTarget {
    return { type: 'tmux', pane: ref.pane, socket: this.tmux.socket, panePid: ref.panePid };
  }

  async alive(ref: TerminalRef): Promise<boolean> {
    return (await this.tmux.list()).some((p) => p.name === ref.name && p.pane === ref.pane && !p.dead);
  }

  view(ref: TerminalRef): Promise<PaneView> {
    return this.tmux.view(ref.pane);
  }

  /**
   * Pasted into the empty prompt, then Enter as its own key; pressed again (at most twice) while
   * the screen shows it still sitting in the input, as a wake-up's Enter is.
   */
  async submit(ref: TerminalRef, text: string, kind: SessionKind): Promise<void> {
    const { tmux } = this;
    await tmux.paste(ref.pane, text);
    await new Promise((r) => setTimeout(r, this.o.enterDelayMs));
    await tmux.enter(ref.pane);
    const reader = screenReaderFor(kind);
    if (!reader) return;
    for (let press = 0; press < 2; press++) {
      const submitted = await waitUntil(async () => reader.before(await tmux.view(ref.pane)).state !== 'draft', Date.now() + 1_500, 100);
      if (submitted) return;
      await tmux.enter(ref.pane);
    }
  }

  async stop(ref: TerminalRef): Promise<void> {
    const { tmux } = this;
    const tree = await readProcessTree(ref.panePid, { platform: this.o.platform, timeoutMs: 5_000 }).catch(() => []);
    const pids = tree.map((p) => p.pid);
    const signal = (sig: NodeJS.Signals) => {
      for (const pid of pids) {
        try {
          process.kill(pid, sig);
        } catch {
          // Already gone.
        }
      }
    };
    const gone = () => pids.every((pid) => !processAlive(pid));
    signal('SIGTERM');
    if (!(await waitUntil(async () => gone() && !(await this.alive(ref)), Date.now() + GRACE_MS, 100))) {
      await tmux.killSession(ref.name);
      if (!(await waitUntil(gone, Date.now() + HANGUP_MS, 100))) signal('SIGKILL');
    }
    await tmux.killSession(ref.name);
  }

  idle(): Promise<void> {
    return this.tmux.stopIfEmpty();
  }
}
