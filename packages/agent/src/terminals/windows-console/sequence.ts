// The kernel32 call sequence that types into another process's Windows console, written
// against a small interface so it can be checked without Windows. With a screen reader for the
// session's coding agent, the console's screen is read first and the line is typed only into an
// empty prompt, and Enter is pressed only while the input holds exactly the line (docs/WAKE.md).
import type { ScreenReader } from '../screens/types.js';
import { delivered, failed, type WakeOutcome } from '../types.js';
import { typeGuarded } from './guarded.js';
import { INPUT_RECORD_SIZE } from './records.js';

const GENERIC_READ = 0x80000000;
const GENERIC_WRITE = 0x40000000;
const FILE_SHARE_READ = 0x1;
const FILE_SHARE_WRITE = 0x2;
const OPEN_EXISTING = 3;
export const INVALID_HANDLE_VALUE = -1;

/** The part of CONSOLE_SCREEN_BUFFER_INFO the readers need: the cursor and the window, in buffer cells. */
export interface ConsoleBufferInfo {
  cursorX: number;
  cursorY: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The kernel32 functions used, with handles as integers (INVALID_HANDLE_VALUE = -1). */
export interface Kernel32Like {
  FreeConsole(): boolean;
  AttachConsole(pid: number): boolean;
  CreateFileW(name: string, access: number, share: number, security: null, disposition: number, flags: number, template: null): number;
  /** `written[0]` receives the number of records written. */
  WriteConsoleInputW(handle: number, records: Buffer, count: number, written: number[]): boolean;
  CloseHandle(handle: number): boolean;
  GetLastError(): number;
  /** The screen buffer's cursor and window, or null when the call fails. */
  GetConsoleScreenBufferInfo(handle: number): ConsoleBufferInfo | null;
  /** `length` characters of the buffer from (x, y) on, or null when the call fails. */
  ReadConsoleOutputCharacterW(handle: number, length: number, x: number, y: number): string | null;
}

/** Writes every record, in as many calls as the console takes them. */
export function writeAll(k32: Kernel32Like, handle: number, records: Buffer): string | null {
  let offset = 0;
  while (offset < records.length) {
    const rest = records.subarray(offset);
    const written = [0];
    if (!k32.WriteConsoleInputW(handle, rest, rest.length / INPUT_RECORD_SIZE, written)) return `WriteConsoleInputW failed (error ${k32.GetLastError()})`;
    const n = written[0] ?? 0;
    if (n <= 0) return 'WriteConsoleInputW wrote nothing';
    offset += n * INPUT_RECORD_SIZE;
  }
  return null;
}

export interface ConsoleTyping {
  pid: number;
  text: Buffer;
  enter: Buffer;
  settleMs: number;
  sleep: (ms: number) => Promise<void>;
  /** The coding agent's screen reader; without one the line and Enter are typed unchecked. */
  reader?: ScreenReader | undefined;
  /** With a reader: how long to watch for the line to leave the input after each Enter. */
  submitMs?: number;
  /** With a reader: how long to wait for the typed line to show in the input (3 s when not given). */
  showMs?: number;
}

const openConsole = (k32: Kernel32Like, name: 'CONIN$' | 'CONOUT$'): number =>
  // `>>> 0`: JS bit operations are signed; the access mask is an unsigned DWORD.
  k32.CreateFileW(name, (GENERIC_READ | GENERIC_WRITE) >>> 0, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, null);

/**
 * FreeConsole, AttachConsole(pid), open CONIN$ (and CONOUT$ to read the screen), type, then
 * close the handles and detach, on every path.
 */
export async function typeIntoConsole(k32: Kernel32Like, job: ConsoleTyping): Promise<WakeOutcome> {
  let attached = false;
  let input = INVALID_HANDLE_VALUE;
  let output = INVALID_HANDLE_VALUE;
  try {
    // A process has at most one console; leave ours (if any) before attaching to the target's.
    k32.FreeConsole();
    if (!k32.AttachConsole(job.pid)) return failed('process-gone', `AttachConsole(${job.pid}) failed (error ${k32.GetLastError()})`);
    attached = true;
    input = openConsole(k32, 'CONIN$');
    if (input === INVALID_HANDLE_VALUE) return failed('wake-error', `CreateFileW(CONIN$) failed (error ${k32.GetLastError()})`);
    if (job.reader) {
      output = openConsole(k32, 'CONOUT$');
      if (output === INVALID_HANDLE_VALUE) return failed('wake-error', `CreateFileW(CONOUT$) failed (error ${k32.GetLastError()})`);
      return await typeGuarded(k32, { ...job, reader: job.reader, input, output });
    }
    const textError = writeAll(k32, input, job.text);
    if (textError) return failed('wake-error', textError);
    await job.sleep(job.settleMs);
    const enterError = writeAll(k32, input, job.enter);
    if (enterError) return failed('wake-error', enterError);
    return delivered();
  } catch (error) {
    return failed('wake-error', error instanceof Error ? error.message : String(error));
  } finally {
    for (const handle of [output, input]) if (handle !== INVALID_HANDLE_VALUE) quietly(() => k32.CloseHandle(handle));
    if (attached) quietly(() => k32.FreeConsole());
  }
}

function quietly(call: () => unknown): void {
  try {
    call();
  } catch {
    // Cleanup must not hide the outcome.
  }
}
