// A spawned coding agent in a console window of its own (Windows). The process is created
// suspended in its new console, so it is joined by its process id before it runs (the gate); the
// console is read and typed into by the helper, as a console wake-up is; stopping is CTRL+C to
// the console's programs, then, after a grace time, every process of its tree ended.
import { basename } from 'node:path';
import type { SessionKind, WakeTarget } from '@crosstalk/core';
import { processAlive } from '../os/process-alive.js';
import type { AgentLogger } from '../run/logger.js';
import { readProcessTree } from '../terminals/processes/read.js';
import type { PaneView } from '../terminals/tmux/submit.js';
import { createWaker } from '../terminals/waker.js';
import { startInNewConsole, type SuspendedConsoleProcess } from '../terminals/windows-console/create-process.js';
import { interruptConsoleOf, consoleScreen } from '../terminals/windows-console/helper-calls.js';
import type { SpawnTerminal, StartedTerminal, TerminalRef } from './terminal.js';
import { waitUntil } from './tmux-terminal.js';

/** How long the coding agent gets to exit after CTRL+C, and its tree after being ended. */
const GRACE_MS = 5_000;
const END_MS = 5_000;

/** The program's name as a console wake-up records it (`claude`, `node`). */
const commandName = (program: string): string => basename(program.replace(/\\/g, '/')).replace(/\.(exe|cmd|bat|com)$/i, '');

export class ConsoleTerminal implements SpawnTerminal {
  private readonly gated = new Map<number, SuspendedConsoleProcess>();
  private readonly waker;

  constructor(private readonly o: { log: AgentLogger; env?: NodeJS.ProcessEnv; node?: string; helper?: string }) {
    this.waker = createWaker({ platform: 'win32', logger: o.log, ...(o.node ? { node: o.node } : {}), ...(o.helper ? { consoleHelper: o.helper } : {}) });
  }

  async start(_name: string, cwd: string, argv: readonly string[], env: Record<string, string>): Promise<StartedTerminal> {
    const started = await startInNewConsole(argv, cwd, { ...(this.o.env ?? process.env), ...env });
    this.gated.set(started.pid, started);
    return { pane: 'console', panePid: started.pid };
  }

  async release(ref: TerminalRef): Promise<void> {
    const gated = this.gated.get(ref.panePid);
    if (!gated) throw new Error(`no console process ${ref.panePid} waits to start`);
    this.gated.delete(ref.panePid);
    gated.resume();
  }

  target(ref: TerminalRef, argv: readonly string[]): WakeTarget {
    return { type: 'console', pid: ref.panePid, agentCommand: commandName(argv[0] ?? 'agent') };
  }

  async alive(ref: TerminalRef): Promise<boolean> {
    return processAlive(ref.panePid);
  }

  view(ref: TerminalRef): Promise<PaneView> {
    return consoleScreen(ref.panePid, 0, this.helper());
  }

  /** Typed as a wake-up is (the same helper, the same checks of the screen), then Enter. */
  async submit(ref: TerminalRef, text: string, kind: SessionKind): Promise<void> {
    const outcome = await this.waker.wake({ type: 'console', pid: ref.panePid, agentCommand: 'agent' }, text, { kind });
    if (outcome.status !== 'delivered') {
      throw new Error(
        `the first task was not typed: ${outcome.status} ${'reason' in outcome ? outcome.reason : ''} ${'detail' in outcome ? (outcome.detail ?? '') : ''}`.trim(),
      );
    }
  }

  async stop(ref: TerminalRef): Promise<void> {
    const gated = this.gated.get(ref.panePid);
    if (gated) {
      this.gated.delete(ref.panePid);
      gated.abandon();
    }
    const tree = await readProcessTree(ref.panePid, { platform: 'win32', timeoutMs: 5_000 }).catch(() => []);
    const pids = [...new Set([ref.panePid, ...tree.map((p) => p.pid)])];
    const gone = () => pids.every((pid) => !processAlive(pid));
    if (gone()) return;
    const refused = await interruptConsoleOf(ref.panePid, this.helper()).catch((err: unknown) => String(err));
    if (refused === null && (await waitUntil(gone, Date.now() + GRACE_MS, 100))) {
      this.o.log.info({ pid: ref.panePid }, 'spawned console stopped by CTRL+C');
      return;
    }
    this.o.log.info({ pid: ref.panePid, pids, ...(refused === null ? {} : { err: refused }) }, 'spawned console not stopped by CTRL+C: ending its processes');
    // Forced: every process of the tree, the children first, ended (TerminateProcess).
    for (const pid of pids.reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (!(await waitUntil(gone, Date.now() + END_MS, 100))) throw new Error(`processes ${pids.filter(processAlive).join(', ')} did not end`);
  }

  async idle(): Promise<void> {}

  private helper() {
    return { ...(this.o.node ? { node: this.o.node } : {}), ...(this.o.helper ? { helper: this.o.helper } : {}) };
  }
}
