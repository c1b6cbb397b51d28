// The kernel32 call sequence that types into another process's Windows console, written
// against a small interface so it can be checked without Windows.
import { INPUT_RECORD_SIZE } from './records.js';
import { delivered, failed, type WakeOutcome } from '../types.js';

const GENERIC_READ = 0x80000000;
const GENERIC_WRITE = 0x40000000;
const FILE_SHARE_READ = 0x1;
const FILE_SHARE_WRITE = 0x2;
const OPEN_EXISTING = 3;
export const INVALID_HANDLE_VALUE = -1;

/** The kernel32 functions used, with handles as integers (INVALID_HANDLE_VALUE = -1). */
export interface Kernel32Like {
  FreeConsole(): boolean;
  AttachConsole(pid: number): boolean;
  CreateFileW(name: string, access: number, share: number, security: null, disposition: number, flags: number, template: null): number;
  /** `written[0]` receives the number of records written. */
  WriteConsoleInputW(handle: number, records: Buffer, count: number, written: number[]): boolean;
  CloseHandle(handle: number): boolean;
  GetLastError(): number;
}

/** Writes every record, in as many calls as the console takes them. */
function writeAll(k32: Kernel32Like, handle: number, records: Buffer): string | null {
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
}

/**
 * FreeConsole, AttachConsole(pid), open CONIN$, write the text, wait, write Enter as a separate
 * call, then close the handle and detach, on every path.
 */
export async function typeIntoConsole(k32: Kernel32Like, job: ConsoleTyping): Promise<WakeOutcome> {
  let attached = false;
  let handle = INVALID_HANDLE_VALUE;
  try {
    // A process has at most one console; leave ours (if any) before attaching to the target's.
    k32.FreeConsole();
    if (!k32.AttachConsole(job.pid)) return failed('process-gone', `AttachConsole(${job.pid}) failed (error ${k32.GetLastError()})`);
    attached = true;
    // `>>> 0`: JS bit operations are signed; the access mask is an unsigned DWORD.
    handle = k32.CreateFileW('CONIN$', (GENERIC_READ | GENERIC_WRITE) >>> 0, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, null);
    if (handle === INVALID_HANDLE_VALUE) return failed('wake-error', `CreateFileW(CONIN$) failed (error ${k32.GetLastError()})`);
    const textError = writeAll(k32, handle, job.text);
    if (textError) return failed('wake-error', textError);
    await job.sleep(job.settleMs);
    const enterError = writeAll(k32, handle, job.enter);
    if (enterError) return failed('wake-error', enterError);
    return delivered();
  } catch (error) {
    return failed('wake-error', error instanceof Error ? error.message : String(error));
  } finally {
    if (handle !== INVALID_HANDLE_VALUE) quietly(() => k32.CloseHandle(handle));
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
