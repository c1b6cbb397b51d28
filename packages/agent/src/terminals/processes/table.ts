// Pure parsing of what the OS says about processes, and walks over the result.
import * as z from 'zod';
import { parseJson } from '@crosstalk/core';
import { normalizeName, type ProcessEntry } from './names.js';

/** Parses one Linux `/proc/<pid>/stat` line: `pid (comm) state ppid …`; comm may hold spaces and parentheses. */
export function parseProcStat(text: string): ProcessEntry | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const ppid = Number(rest[1]);
  if (!Number.isSafeInteger(pid) || !Number.isSafeInteger(ppid) || pid <= 0) return null;
  return { pid, ppid, name: normalizeName(text.slice(open + 1, close), 'linux') };
}

/** Linux `/proc/<pid>/cmdline` is NUL-separated. */
export function parseProcCmdline(raw: string): string {
  return raw
    .split('\0')
    .filter((w) => w !== '')
    .join(' ');
}

/** Parses `ps -A -o pid=,ppid=,comm=` (macOS and BSD); comm is a path that may hold spaces. */
export function parsePsOutput(text: string, platform: NodeJS.Platform): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*\S)\s*$/.exec(line);
    if (!m) continue;
    entries.push({ pid: Number(m[1]), ppid: Number(m[2]), name: normalizeName(m[3] ?? '', platform) });
  }
  return entries;
}

const cimProcess = z.object({
  ProcessId: z.number().int().nonnegative(),
  ParentProcessId: z.number().int().nonnegative(),
  Name: z.string().max(1024).nullable().optional(),
  CommandLine: z.string().max(65_536).nullable().optional(),
});

/** Parses `Get-CimInstance Win32_Process | … | ConvertTo-Json` (one object or an array); output that is not JSON is thrown, not read as no processes. */
export function parseCimProcesses(json: string): ProcessEntry[] {
  const data = parseJson(json);
  if (data === undefined) throw new Error(`the process list from PowerShell is not JSON: ${JSON.stringify(json.slice(0, 120))}`);
  const list = Array.isArray(data) ? data : [data];
  const entries: ProcessEntry[] = [];
  for (const item of list) {
    const parsed = cimProcess.safeParse(item);
    if (!parsed.success) continue;
    const p = parsed.data;
    const entry: ProcessEntry = { pid: p.ProcessId, ppid: p.ParentProcessId, name: normalizeName(p.Name ?? '', 'win32') };
    if (p.CommandLine) entry.commandLine = p.CommandLine;
    entries.push(entry);
  }
  return entries;
}

/** The root and every process below it, breadth first. */
export function descendants(table: readonly ProcessEntry[], rootPid: number): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  let root: ProcessEntry | undefined;
  for (const p of table) {
    if (p.pid === rootPid) root = p;
    else {
      const list = children.get(p.ppid);
      if (list) list.push(p);
      else children.set(p.ppid, [p]);
    }
  }
  if (!root) return [];
  const out = [root];
  const seen = new Set([root.pid]);
  for (let i = 0; i < out.length; i++) {
    for (const child of children.get(out[i]!.pid) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
    }
  }
  return out;
}

/** The process and its ancestors, nearest first, up to the root of the table (or a cycle). */
export function ancestors(table: readonly ProcessEntry[], pid: number): ProcessEntry[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const chain: ProcessEntry[] = [];
  const seen = new Set<number>();
  for (let p = byPid.get(pid); p && !seen.has(p.pid); p = byPid.get(p.ppid)) {
    seen.add(p.pid);
    chain.push(p);
  }
  return chain;
}
