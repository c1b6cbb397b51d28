// The real kernel32 binding through koffi. Loaded only on Windows, only in the helper process.
import type { Kernel32Like } from './sequence.js';

// Win32 BOOL is a 4-byte int. Handles are declared as intptr_t so that INVALID_HANDLE_VALUE
// comes back as -1.
export const KERNEL32_PROTOTYPES = {
  FreeConsole: 'int __stdcall FreeConsole()',
  AttachConsole: 'int __stdcall AttachConsole(uint32_t dwProcessId)',
  CreateFileW:
    'intptr_t __stdcall CreateFileW(const char16_t *lpFileName, uint32_t dwDesiredAccess, uint32_t dwShareMode, void *lpSecurityAttributes, uint32_t dwCreationDisposition, uint32_t dwFlagsAndAttributes, intptr_t hTemplateFile)',
  WriteConsoleInputW:
    'int __stdcall WriteConsoleInputW(intptr_t hConsoleInput, const void *lpBuffer, uint32_t nLength, _Out_ uint32_t *lpNumberOfEventsWritten)',
  CloseHandle: 'int __stdcall CloseHandle(intptr_t hObject)',
  GetLastError: 'uint32_t __stdcall GetLastError()',
} as const;

export async function loadKernel32(): Promise<Kernel32Like> {
  const koffi = (await import('koffi')).default;
  const lib = koffi.load('kernel32.dll');
  const fn = (name: keyof typeof KERNEL32_PROTOTYPES) => lib.func(KERNEL32_PROTOTYPES[name]);
  const FreeConsole = fn('FreeConsole');
  const AttachConsole = fn('AttachConsole');
  const CreateFileW = fn('CreateFileW');
  const WriteConsoleInputW = fn('WriteConsoleInputW');
  const CloseHandle = fn('CloseHandle');
  const GetLastError = fn('GetLastError');
  return {
    FreeConsole: () => FreeConsole() !== 0,
    AttachConsole: (pid) => AttachConsole(pid) !== 0,
    CreateFileW: (name, access, share, _security, disposition, flags) => Number(CreateFileW(name, access, share, null, disposition, flags, 0)),
    WriteConsoleInputW: (handle, records, count, written) => WriteConsoleInputW(handle, records, count, written) !== 0,
    CloseHandle: (handle) => CloseHandle(handle) !== 0,
    GetLastError: () => Number(GetLastError()),
  };
}
