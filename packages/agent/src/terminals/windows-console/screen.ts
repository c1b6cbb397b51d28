// Reading another process's console screen, and asking its programs to stop: the helper's `screen`
// and `interrupt` modes. Both attach to the console (FreeConsole, AttachConsole) and detach on every
// path, which is why they run in the short-lived helper process, never in the agent.
import type { PaneView } from '../tmux/submit.js';
import { readConsoleView } from './console-view.js';
import { INVALID_HANDLE_VALUE, type Kernel32Like } from './sequence.js';

const GENERIC_READ = 0x80000000;
const FILE_SHARE_READ = 0x1;
const FILE_SHARE_WRITE = 0x2;
const OPEN_EXISTING = 3;
/** Rows read at most, and characters per row (a peek is a quick look, never the whole buffer). */
export const MAX_SCREEN_ROWS = 500;
const MAX_COLUMNS = 1000;

/** The extra calls of `interrupt`. */
export interface ConsoleControl {
  /** Ignore (true) or honour CTRL+C in this process. */
  SetConsoleCtrlHandler(ignore: boolean): boolean;
  /** CTRL_C_EVENT (0) to every process of the console (group 0). */
  GenerateConsoleCtrlEvent(event: number, group: number): boolean;
}

function attached<T>(k32: Kernel32Like, pid: number, body: () => T): T | { error: string } {
  k32.FreeConsole();
  if (!k32.AttachConsole(pid)) return { error: `AttachConsole(${pid}) failed (error ${k32.GetLastError()})` };
  try {
    return body();
  } finally {
    k32.FreeConsole();
  }
}

/**
 * `rows` 0: the window as the screen readers take it (rows and cursor). Otherwise the last `rows`
 * rows of the buffer up to the cursor, scrollback included, and the window's rows below it.
 */
export function readScreen(k32: Kernel32Like, pid: number, rows: number): PaneView | { error: string } {
  return attached(k32, pid, () => {
    const output = k32.CreateFileW('CONOUT$', GENERIC_READ >>> 0, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, null);
    if (output === INVALID_HANDLE_VALUE) return { error: `CreateFileW(CONOUT$) failed (error ${k32.GetLastError()})` };
    try {
      if (rows === 0) return readConsoleView(k32, output) ?? { error: `the console's screen could not be read (error ${k32.GetLastError()})` };
      const info = k32.GetConsoleScreenBufferInfo(output);
      if (!info) return { error: `GetConsoleScreenBufferInfo failed (error ${k32.GetLastError()})` };
      const width = Math.min(info.right - info.left + 1, MAX_COLUMNS);
      // Up to the cursor's row, and what the window shows below it (a status line); the caller
      // drops the blank rows at the end. The window need not end at the cursor (it may have
      // scrolled past it, or not followed it).
      const first = Math.max(0, Math.min(info.cursorY, info.bottom) - Math.min(rows, MAX_SCREEN_ROWS) + 1);
      const last = Math.min(Math.max(info.cursorY, info.bottom), first + 2 * MAX_SCREEN_ROWS - 1);
      const lines: string[] = [];
      for (let y = first; y <= last; y++) {
        const row = k32.ReadConsoleOutputCharacterW(output, width, info.left, y);
        if (row === null) return { error: `ReadConsoleOutputCharacterW failed (error ${k32.GetLastError()})` };
        lines.push(row.trimEnd());
      }
      return { lines, cursorX: info.cursorX - info.left, cursorY: info.cursorY - first };
    } finally {
      k32.CloseHandle(output);
    }
  });
}

/**
 * CTRL+C to every program of the console, this helper excepted (it ignores CTRL+C; a handler-less
 * helper could not ignore CTRL_BREAK, which would end it first): the graceful stop.
 */
export function interruptConsole(k32: Kernel32Like, control: ConsoleControl, pid: number): { ok: true } | { error: string } {
  return attached(k32, pid, () => {
    control.SetConsoleCtrlHandler(true);
    return control.GenerateConsoleCtrlEvent(0, 0) ? { ok: true as const } : { error: `GenerateConsoleCtrlEvent failed (error ${k32.GetLastError()})` };
  });
}
