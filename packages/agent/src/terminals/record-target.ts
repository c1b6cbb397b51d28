// What `crosstalk join` records about the terminal it runs in: the tmux pane (from TMUX and
// TMUX_PANE) or, on Windows, the console of the coding agent, plus the agent's command name.
import { CrosstalkError, WakeTargetSchema, type WakeTarget } from '@crosstalk/core';
import { isCrosstalkOrLauncher, isShell, isTerminalHost, type ProcessEntry } from './processes/names.js';
import { readParentChain } from './processes/read.js';
import { parseTmuxEnv } from './tmux/env.js';

export { parseTmuxEnv };

export interface TmuxEnv {
  /** `$TMUX` as tmux sets it: `<socket path>,<server pid>,<session index>`. */
  tmux?: string | undefined;
  /** `$TMUX_PANE`: `%N`. */
  tmuxPane?: string | undefined;
}

/** The first process above the caller that is neither a shell nor crosstalk or its launcher. */
function firstAgent(chain: readonly ProcessEntry[], end: number): ProcessEntry | undefined {
  for (let i = 1; i < end; i++) {
    const p = chain[i]!;
    if (isShell(p.name) || isCrosstalkOrLauncher(p)) continue;
    return p;
  }
  return undefined;
}

/** A name the relay accepts as `agentCommand` (see core's WakeTargetSchema); others are left out. */
const usableName = (name: string): boolean => WakeTargetSchema.safeParse({ type: 'console', pid: 1, agentCommand: name }).success;

/** The target if it is one the relay accepts, else null. */
function valid<T extends WakeTarget>(target: T): T | null {
  return WakeTargetSchema.safeParse(target).success ? target : null;
}

/**
 * The tmux target of the pane the caller runs in, or null outside tmux.
 * `chain` is the caller's process and its ancestors, nearest first (see `readParentChain`).
 */
export function recordTmuxTarget(env: TmuxEnv, chain: readonly ProcessEntry[]): Extract<WakeTarget, { type: 'tmux' }> | null {
  if (!env.tmux || !env.tmuxPane) return null;
  const parsed = parseTmuxEnv(env.tmux);
  if (!parsed) return null;
  const target: Extract<WakeTarget, { type: 'tmux' }> = { type: 'tmux', pane: env.tmuxPane, socket: parsed.socket };
  // The pane's process is the one the tmux server started; walk no further than it.
  const paneIdx = chain.findIndex((p) => p.ppid === parsed.serverPid);
  let end = paneIdx >= 0 ? paneIdx + 1 : chain.findIndex((p) => p.pid === parsed.serverPid || p.pid <= 1 || p.name.startsWith('tmux'));
  if (end < 0) end = chain.length;
  if (paneIdx >= 0) target.panePid = chain[paneIdx]!.pid;
  const agent = firstAgent(chain, end);
  if (agent && usableName(agent.name)) target.agentCommand = agent.name;
  return valid(target);
}

/**
 * The Windows console target: the coding agent's process (any process attached to a console
 * can be used to reach it). Without an agent above the caller, the nearest shell is recorded
 * without `agentCommand`, and waking it reports `bare-shell`.
 */
export function recordConsoleTarget(chain: readonly ProcessEntry[]): Extract<WakeTarget, { type: 'console' }> | null {
  let end = chain.findIndex((p, i) => i > 0 && isTerminalHost(p.name));
  if (end < 0) end = chain.length;
  const agent = firstAgent(chain, end);
  if (agent && usableName(agent.name)) return valid({ type: 'console', pid: agent.pid, agentCommand: agent.name });
  // An agent whose name the relay cannot hold is recorded like a shell: it cannot be checked.
  const shell = agent ?? chain.slice(1, end).find((p) => isShell(p.name));
  return shell ? valid({ type: 'console', pid: shell.pid }) : null;
}

export interface RecordOptions extends TmuxEnv {
  platform: NodeJS.Platform;
  /** The process doing the recording, normally `process.pid` of `crosstalk join`. */
  pid: number;
  /** Limit for reading the process table where it takes a subprocess. */
  timeoutMs?: number;
}

/**
 * The wake target for the terminal `pid` runs in: tmux if inside tmux, the console on Windows,
 * else none. A Windows program reads its keys from its console even where TMUX is set (an MSYS
 * or Wine tmux runs the console host inside the pane), and the agent types into the console.
 */
export async function recordWakeTarget(options: RecordOptions): Promise<WakeTarget> {
  const read = { platform: options.platform, timeoutMs: options.timeoutMs ?? 20_000 };
  if (options.platform !== 'win32' && options.tmux && options.tmuxPane) {
    const chain = await readParentChain(options.pid, read).catch((err: unknown) => {
      // Pane and socket are enough to wake; a process list that cannot be read loses only the agent check.
      if (err instanceof CrosstalkError && err.code === 'WAKE_FAILED') return [];
      throw err;
    });
    const target = recordTmuxTarget(options, chain);
    if (target) return target;
  }
  if (options.platform === 'win32') {
    const target = recordConsoleTarget(await readParentChain(options.pid, read));
    if (target) return target;
  }
  return { type: 'none' };
}
