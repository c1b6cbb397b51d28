// Reads the process table from the OS: /proc on Linux, `ps` on macOS and BSD, kernel32 on Windows
// (CIM through PowerShell where kernel32 cannot be loaded).
// A process that ends while it is read is an answer (it is left out); anything else that goes
// wrong is thrown, with `ps` and PowerShell failures as WAKE_FAILED naming the command.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { CrosstalkError } from '@crosstalk/core';
import { execa } from 'execa';
import type { ProcessEntry } from './names.js';
import { ancestors, descendants, parseCimProcesses, parseProcCmdline, parseProcStat, parsePsOutput } from './table.js';
import { loadWindowsProcesses, type WindowsProcesses } from './windows.js';

export interface ProcessReadOptions {
  platform: NodeJS.Platform;
  /** Limit for a `ps` or PowerShell call. */
  timeoutMs: number;
}

const MAX_OUTPUT = 16 * 1024 * 1024;
const CIM_SCRIPT = 'Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,Name,CommandLine | ConvertTo-Json -Compress';

/** A /proc entry of a process (or thread) that ended while we read: ENOENT before the read, ESRCH during it. */
function vanished(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** A /proc file's text, or null when its process ended meanwhile. */
function readProcFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (vanished(err)) return null;
    throw err;
  }
}

// /proc files live in memory; reading them synchronously takes a few ms for hundreds of
// processes, well under what the same number of async reads costs.
function readProcEntry(pid: number): ProcessEntry | null {
  const text = readProcFile(`/proc/${pid}/stat`);
  if (text === null) return null;
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

/** The output of `ps` or PowerShell; a failure (missing, refused, too slow) is WAKE_FAILED naming the command. */
async function runLister(file: string, args: string[], options: ProcessReadOptions): Promise<string> {
  try {
    const { stdout } = await execa(file, args, { timeout: options.timeoutMs, maxBuffer: MAX_OUTPUT, windowsHide: true });
    return stdout;
  } catch (err) {
    const shown = [file, ...args].join(' ').slice(0, 120);
    throw new CrosstalkError('WAKE_FAILED', `could not read the process list: ${(err as Error).message.slice(0, 300)}`, {
      hint: `check that \`${shown}\` works for this user`,
      cause: err,
    });
  }
}

async function readPsTable(options: ProcessReadOptions): Promise<ProcessEntry[]> {
  return parsePsOutput(await runLister('ps', ['-A', '-o', 'pid=,ppid=,comm='], options), options.platform);
}

async function readCimTable(options: ProcessReadOptions): Promise<ProcessEntry[]> {
  return parseCimProcesses(await runLister('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', CIM_SCRIPT], options));
}

/** kernel32 through koffi, or null where it cannot be loaded (koffi is an optional dependency). */
async function windowsApi(options: ProcessReadOptions): Promise<WindowsProcesses | null> {
  if (options.platform !== 'win32' || process.platform !== 'win32') return null;
  return loadWindowsProcesses().catch(() => null);
}

async function readWindowsTable(options: ProcessReadOptions): Promise<ProcessEntry[]> {
  const api = await windowsApi(options);
  return api ? api.table() : readCimTable(options);
}

async function readWindowsChain(pid: number, options: ProcessReadOptions): Promise<ProcessEntry[]> {
  const api = await windowsApi(options);
  if (!api) return ancestors(await readCimTable(options), pid);
  return ancestors(api.table(), pid).map((p) => {
    const commandLine = api.commandLine(p.pid);
    return commandLine === undefined ? p : { ...p, commandLine };
  });
}

/** Every process: pid, parent and name (command lines are not read). */
export async function readProcessTable(options: ProcessReadOptions): Promise<ProcessEntry[]> {
  if (options.platform === 'linux') return readLinuxTable();
  if (options.platform === 'win32') return readWindowsTable(options);
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
  } catch (err) {
    if (vanished(err)) return [];
    throw err;
  }
  const children: number[] = [];
  for (const tid of tasks) {
    // null: the thread ended while we read.
    for (const word of readProcFile(`/proc/${pid}/task/${tid}/children`)?.split(' ') ?? []) {
      if (/^\d+$/.test(word)) children.push(Number(word));
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

function readLinuxChain(pid: number): ProcessEntry[] {
  const chain: ProcessEntry[] = [];
  const seen = new Set<number>();
  for (let entry = readProcEntry(pid); entry && !seen.has(entry.pid); entry = readProcEntry(entry.ppid)) {
    seen.add(entry.pid);
    // null: the process ended while we walked; its name is enough.
    const cmdline = readProcFile(`/proc/${entry.pid}/cmdline`);
    if (cmdline !== null) entry.commandLine = parseProcCmdline(cmdline);
    chain.push(entry);
    if (entry.ppid <= 0) break;
  }
  return chain;
}

async function readPsChain(pid: number, options: ProcessReadOptions): Promise<ProcessEntry[]> {
  const chain = ancestors(await readPsTable(options), pid);
  const args = new Map<number, string>();
  for (const line of (await runLister('ps', ['-A', '-o', 'pid=,args='], options)).split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m) args.set(Number(m[1]), m[2] ?? '');
  }
  return chain.map((p) => (args.has(p.pid) ? { ...p, commandLine: args.get(p.pid)! } : p));
}

/** A process and its ancestors, nearest first, with command lines. */
export async function readParentChain(pid: number, options: ProcessReadOptions): Promise<ProcessEntry[]> {
  if (options.platform === 'linux') return readLinuxChain(pid);
  if (options.platform === 'win32') return readWindowsChain(pid, options);
  return readPsChain(pid, options);
}
