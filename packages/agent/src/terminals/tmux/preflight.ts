// The checks before anything is typed into a tmux pane (SPEC §6), in order, each with its own
// outcome: the pane exists, is alive, is not in a mode, still runs the coding agent, and nobody
// typed in it just now. As a call of its own, this is the path of targets recorded without the
// pane's first process; the others are checked within the paste call (tmux-guard.ts).
import type { WakeTarget } from '@crosstalk/core';
import { isShell, sameCommand, type ProcessEntry } from '../processes/names.js';
import { descendants } from '../processes/table.js';
import { TmuxError, type TmuxRunner } from './command.js';
import { clip, deferred, failed, type WakeOutcome } from '../types.js';

export type TmuxTarget = Extract<WakeTarget, { type: 'tmux' }>;

export interface PaneState {
  paneId: string;
  dead: boolean;
  inMode: boolean;
  panePid: number;
  sessionId: string;
  inputOff: boolean;
  synchronized: boolean;
}

const PANE_FORMAT = ['#{pane_id}', '#{pane_dead}', '#{pane_in_mode}', '#{pane_pid}', '#{session_id}', '#{pane_input_off}', '#{pane_synchronized}'].join('\t');

/** Parses the display-message line; null when tmux answered for no pane (it does, for a missing one). */
export function parsePaneState(line: string): PaneState | null {
  const [paneId, dead, inMode, pid, sessionId, inputOff, synchronized] = line.trim().split('\t');
  if (!paneId || !/^%\d+$/.test(paneId)) return null;
  return {
    paneId,
    dead: dead === '1',
    inMode: inMode === '1',
    panePid: Number(pid),
    sessionId: sessionId ?? '',
    inputOff: inputOff === '1',
    synchronized: synchronized === '1',
  };
}

export async function readPaneState(tmux: TmuxRunner, pane: string): Promise<PaneState | null> {
  return parsePaneState(await tmux(['display-message', '-p', '-t', pane, PANE_FORMAT]));
}

/**
 * The pane's state and the activity of every client, in one tmux call (`;` separates commands):
 * each call is a process start and a round trip, and the wake-up should show quickly.
 */
async function readPaneAndClients(tmux: TmuxRunner, pane: string): Promise<{ state: PaneState | null; clients: string[] }> {
  const out = await tmux(['display-message', '-p', '-t', pane, PANE_FORMAT, ';', 'list-clients', '-F', '#{session_id}\t#{client_activity}']);
  const [first = '', ...clients] = out.split('\n');
  return { state: parsePaneState(first), clients };
}

/** Whether the coding agent still runs under the pane; a reason when it does not. */
export function agentCheck(tree: readonly ProcessEntry[], agentCommand: string | undefined): string | null {
  const [pane, ...below] = tree;
  if (!pane) return 'the pane has no process';
  if (agentCommand !== undefined) {
    return tree.some((p) => sameCommand(p.name, agentCommand)) ? null : `${agentCommand} no longer runs in the pane`;
  }
  return isShell(pane.name) && below.length === 0 ? `only the shell ${pane.name} runs in the pane` : null;
}

/**
 * The newest instant a client attached to the session can have sent input, in ms, from
 * `list-clients -F '#{session_id}\t#{client_activity}'` lines (activity in whole seconds).
 */
export function newestActivityMs(clientLines: readonly string[], sessionId: string): number | null {
  let newest: number | null = null;
  for (const line of clientLines) {
    const [session, activity] = line.trim().split('\t');
    const seconds = Number(activity);
    if (session !== sessionId || !activity || !Number.isFinite(seconds)) continue;
    // tmux keeps whole seconds: the input may have come up to a second later.
    const ms = (seconds + 1) * 1000;
    if (newest === null || ms > newest) newest = ms;
  }
  return newest;
}

export interface PreflightDeps {
  tmux: TmuxRunner;
  readTable: () => Promise<ProcessEntry[]>;
  userIdleMs: number;
  now: () => number;
}

/** Runs the checks; resolves with the pane state when it is safe to type, or the outcome to report. */
export async function preflight(target: TmuxTarget, deps: PreflightDeps): Promise<{ ok: PaneState } | { outcome: WakeOutcome }> {
  // tmux is asked first and the process table read while it answers (on Linux the read is
  // synchronous); the table's failure matters only if we get that far.
  const answer = readPaneAndClients(deps.tmux, target.pane);
  // Awaited below; this only keeps a failure from counting as unhandled while the table is read.
  answer.catch(() => undefined);
  const table = deps.readTable().then(
    (entries) => ({ entries }),
    (error: unknown) => ({ error }),
  );
  let pane: { state: PaneState | null; clients: string[] };
  try {
    pane = await answer;
  } catch (error) {
    if (error instanceof TmuxError && error.gone) return { outcome: failed('pane-gone', error.message) };
    throw error;
  }
  const { state, clients } = pane;
  if (!state || state.paneId !== target.pane) return { outcome: failed('pane-gone', `no pane ${target.pane} on ${target.socket}`) };
  // Pane ids restart at %0 with a new server: a different first process means a different pane.
  if (target.panePid !== undefined && state.panePid !== target.panePid) {
    return { outcome: failed('pane-gone', `pane ${target.pane} now runs process ${state.panePid}, not ${target.panePid}`) };
  }
  if (state.dead) return { outcome: failed('pane-dead') };
  if (state.inMode) return { outcome: deferred('copy-mode') };
  if (state.inputOff) return { outcome: deferred('busy', 'input to the pane is disabled') };
  if (state.synchronized) return { outcome: deferred('busy', 'the pane is synchronized with other panes') };
  const read = await table;
  if ('error' in read) throw read.error;
  const problem = agentCheck(descendants(read.entries, state.panePid), target.agentCommand);
  if (problem) return { outcome: failed('bare-shell', clip(problem)) };
  const newest = newestActivityMs(clients, state.sessionId);
  if (newest !== null && deps.now() - newest < deps.userIdleMs) return { outcome: deferred('user-typing') };
  return { ok: state };
}
