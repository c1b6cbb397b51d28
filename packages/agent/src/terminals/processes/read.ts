// Reads the process table from the OS: /proc on Linux, `ps` on macOS and BSD, CIM on Windows.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import type { ProcessEntry } from './names.js';
import { ancestors, descendants, parseCimProcesses, parseProcCmdline, parseProcStat, parsePsOutput } from './table.js';

export interface ProcessReadOptions {
  platform: NodeJS.Platform;
  /** Limit for a `ps` or PowerShell call. */
  timeoutMs: number;
}

const MAX_OUTPUT = 16 * 1024 * 1024;

// /proc files live in memory; reading them synchronously takes a few ms for hundreds of
// processes, well under what the same number of async reads costs.
function readProcEntry(pid: number): ProcessEntry | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // A process that exited but was not reaped yet (Z, X) runs nothing; tmux can leave a dead
  // pane's process like that for a while.
  const state = text.slice(text.lastIndexOf(')') + 1).trim()[0];
  return state === 'Z' || state === 'X' ? null : parseProcStat(text);
}

function readLinuxTable(): ProcessEntry[] {
  const table: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcEntry(Number(name));
    if (entry) table.push(entry);
  }
  return table;
}

async function readPsTable(options: ProcessReadOptions): Promise<ProcessEntry[]> {
  const { stdout } = await execa('ps', ['-A', '-o', 'pid=,ppid=,comm='], { timeout: options.timeoutMs, maxBuffer: MAX_OUTPUT });
  return parsePsOutput(stdout, options.platform);
}

async function readCimTable(options: ProcessReadOptions): Promise<ProcessEntry[]> {
  const script =
    'Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,Name,CommandLine | ConvertTo-Json -Compress';
  const { stdout } = await execa('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], {
    timeout: options.timeoutMs,
    maxBuffer: MAX_OUTPUT,
    windowsHide: true,
  });
  return parseCimProcesses(stdout);
}

/** Every process: pid, parent and name (command lines are not read). */
export async function readProcessTable(options: ProcessReadOptions): Promise<ProcessEntry[]> {
  if (options.platform === 'linux') return readLinuxTable();
  if (options.platform === 'win32') return readCimTable(options);
  return readPsTable(options);
}

// A process tree bigger than this is not a terminal session; the walk stops rather than run on.
const MAX_TREE = 4096;

// `/proc/<pid>/task/<tid>/children` exists on kernels built with CONFIG_PROC_CHILDREN (most are).
let childrenFiles: boolean | undefined;
const hasChildrenFiles = (): boolean => (childrenFiles ??= existsSync(`/proc/self/task/${process.pid}/children`));

/** The children of a process, from every one of its threads (a child belongs to the thread that forked it). */
function linuxChildren(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of tasks) {
    try {
      for (const word of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) {
        if (/^\d+$/.test(word)) children.push(Number(word));
      }
    } catch {
      // The thread ended while we read.
    }
  }
  return children;
}

/** Walks down from one process instead of reading every process's stat: a wake-up waits for it. */
function readLinuxTree(rootPid: number): ProcessEntry[] {
  const root = readProcEntry(rootPid);
  if (!root) return [];
  const tree = [root];
  const seen = new Set([root.pid]);
  for (let i = 0; i < tree.length && tree.length < MAX_TREE; i++) {
    const parent = tree[i]!.pid;
    for (const pid of linuxChildren(parent)) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      // A child that ended may have left its number to an unrelated process.
      const entry = readProcEntry(pid);
      if (entry && entry.ppid === parent) tree.push(entry);
    }
  }
  return tree;
}

/** A process and every process below it, the root first; empty when the root does not exist. */
export async function readProcessTree(rootPid: number, options: ProcessReadOptions): Promise<ProcessEntry[]> {
  if (options.platform === 'linux') return hasChildrenFiles() ? readLinuxTree(rootPid) : descendants(readLinuxTable(), rootPid);
  return descendants(await readProcessTable(options), rootPid);
}

/** A process and its ancestors, nearest first, with command lines. */
export async function readParentChain(pid: number, options: ProcessReadOptions): Promise<ProcessEntry[]> {
  if (options.platform === 'linux') {
    const chain: ProcessEntry[] = [];
    const seen = new Set<number>();
    for (let entry = readProcEntry(pid); entry && !seen.has(entry.pid); entry = readProcEntry(entry.ppid)) {
      seen.add(entry.pid);
      try {
        entry.commandLine = parseProcCmdline(readFileSync(`/proc/${entry.pid}/cmdline`, 'utf8'));
      } catch {
        // The process ended while we walked; its name is enough.
      }
      chain.push(entry);
      if (entry.ppid <= 0) break;
    }
    return chain;
  }
  if (options.platform === 'win32') return ancestors(await readCimTable(options), pid);
  const chain = ancestors(await readPsTable(options), pid);
  const { stdout } = await execa('ps', ['-A', '-o', 'pid=,args='], { timeout: options.timeoutMs, maxBuffer: MAX_OUTPUT });
  const args = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m) args.set(Number(m[1]), m[2] ?? '');
  }
  return chain.map((p) => (args.has(p.pid) ? { ...p, commandLine: args.get(p.pid)! } : p));
}
