// A program started in a console window of its own (CreateProcessW with CREATE_NEW_CONSOLE, through
// koffi), held suspended until resumed: the process and its console exist, and are known, before
// the program runs a single instruction. Its standard handles are its new console's, so it is a
// terminal program like any started by hand. Loaded only on Windows.

const CREATE_SUSPENDED = 0x4;
const CREATE_NEW_CONSOLE = 0x10;
const CREATE_UNICODE_ENVIRONMENT = 0x400;
const STARTUPINFOW_BYTES = 104;
const PROCESS_INFORMATION_BYTES = 24;

/** One argument quoted as CommandLineToArgvW and the C runtime read it back. */
export function quoteArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    // Backslashes before a quote are doubled, and the quote escaped.
    out += ch === '"' ? `${'\\'.repeat(slashes * 2 + 1)}"` : `${'\\'.repeat(slashes)}${ch}`;
    slashes = 0;
  }
  // Backslashes before the closing quote are doubled.
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

export const commandLine = (argv: readonly string[]): string => argv.map(quoteArg).join(' ');

/** The environment block: `name=value` strings, sorted by name without case, each NUL-ended, then a NUL. */
export function environmentBlock(env: Record<string, string | undefined>): Buffer {
  const entries = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== '' && !e[0].includes('='));
  entries.sort(([a], [b]) => (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0));
  return Buffer.from(`${entries.map(([k, v]) => `${k}=${v}\0`).join('')}\0`, 'utf16le');
}

export interface SuspendedConsoleProcess {
  pid: number;
  /** Lets it run; once only. */
  resume(): void;
  /** Ends it, never having run (a join that failed). */
  abandon(): void;
}

type Fn = (...args: unknown[]) => unknown;
let bound: Promise<Record<'CreateProcessW' | 'ResumeThread' | 'CloseHandle' | 'GetLastError' | 'TerminateProcess', Fn>> | undefined;

function bind() {
  bound ??= (async () => {
    const koffi = (await import('koffi')).default;
    const k32 = koffi.load('kernel32.dll');
    return {
      CreateProcessW: k32.func(
        'int __stdcall CreateProcessW(const char16_t *lpApplicationName, _Inout_ uint16_t *lpCommandLine, void *lpProcessAttributes, void *lpThreadAttributes, int bInheritHandles, uint32_t dwCreationFlags, void *lpEnvironment, const char16_t *lpCurrentDirectory, _Inout_ uint8_t *lpStartupInfo, _Out_ uint8_t *lpProcessInformation)',
      ),
      ResumeThread: k32.func('uint32_t __stdcall ResumeThread(intptr_t hThread)'),
      TerminateProcess: k32.func('int __stdcall TerminateProcess(intptr_t hProcess, uint32_t uExitCode)'),
      CloseHandle: k32.func('int __stdcall CloseHandle(intptr_t hObject)'),
      GetLastError: k32.func('uint32_t __stdcall GetLastError()'),
    } as Record<'CreateProcessW' | 'ResumeThread' | 'CloseHandle' | 'GetLastError' | 'TerminateProcess', Fn>;
  })();
  return bound;
}

/** `argv` in `cwd`, with exactly `env`, in a new console window, suspended. Rejects with the Windows error. */
export async function startInNewConsole(argv: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<SuspendedConsoleProcess> {
  if (argv.length === 0) throw new Error('no command to start');
  const k = await bind();
  const line = Buffer.from(`${commandLine(argv)}\0`, 'utf16le');
  const startup = Buffer.alloc(STARTUPINFOW_BYTES);
  startup.writeUInt32LE(STARTUPINFOW_BYTES, 0);
  const info = Buffer.alloc(PROCESS_INFORMATION_BYTES);
  const flags = CREATE_NEW_CONSOLE | CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT;
  if (k.CreateProcessW(null, line, null, null, 0, flags, environmentBlock(env), cwd, startup, info) === 0) {
    throw new Error(`CreateProcessW failed for ${argv[0]} (error ${String(k.GetLastError())})`);
  }
  const process = info.readBigInt64LE(0);
  const thread = info.readBigInt64LE(8);
  const pid = info.readUInt32LE(16);
  let done = false;
  const close = () => {
    done = true;
    k.CloseHandle(thread);
    k.CloseHandle(process);
  };
  return {
    pid,
    resume() {
      if (done) return;
      k.ResumeThread(thread);
      close();
    },
    abandon() {
      if (done) return;
      k.TerminateProcess(process, 1);
      close();
    },
  };
}
