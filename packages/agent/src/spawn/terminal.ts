// Where a spawned coding agent runs, behind one small interface: a detached session of the agent's
// private tmux server (Linux, macOS) or a new console window (Windows). The spawner decides and
// waits; the terminal starts, gates, shows, types into and stops.
import type { SessionKind, WakeTarget } from '@crosstalk/core';
import type { PaneView } from '../terminals/tmux/submit.js';

/** A started terminal: its pane (tmux) or `console`, and the process that runs the coding agent. */
export interface StartedTerminal {
  pane: string;
  panePid: number;
}

/** What a terminal needs to know of a spawned session (a SpawnRecord has it). */
export interface TerminalRef extends StartedTerminal {
  name: string;
}

export interface SpawnTerminal {
  /**
   * Starts `argv` in `cwd` with `env` added, held at a gate: the process is known (and joined)
   * before the coding agent can report its start.
   */
  start(name: string, cwd: string, argv: readonly string[], env: Record<string, string>): Promise<StartedTerminal>;
  /** Lets the gated coding agent run. */
  release(ref: TerminalRef): Promise<void>;
  /** The wake target the session is joined with. */
  target(ref: TerminalRef, argv: readonly string[]): WakeTarget;
  /** Whether the coding agent still runs in it. */
  alive(ref: TerminalRef): Promise<boolean>;
  /** The screen with the cursor, for the screen readers. */
  view(ref: TerminalRef): Promise<PaneView>;
  /** The first task typed into the ready prompt and submitted. */
  submit(ref: TerminalRef, text: string, kind: SessionKind): Promise<void>;
  /** Graceful first, then forced; nothing of it is left running. */
  stop(ref: TerminalRef): Promise<void>;
  /** Frees what the terminal keeps once nothing spawned runs (the private tmux server). */
  idle(): Promise<void>;
}
