// The real kernel32 binding through koffi. Loaded only on Windows, only in the helper process.
import type { Kernel32Like } from './console-sequence.js';

export async function loadKernel32(): Promise<Kernel32Like> {
  const koffi = (await import('koffi')).default;
  const lib = koffi.load('kernel32.dll');
  // Handles are declared as intptr_t so that INVALID_HANDLE_VALUE comes back as -1.
  const FreeConsole = lib.func('bool __stdcall FreeConsole()');
  const AttachConsole = lib.func('bool __stdcall AttachConsole(uint32_t dwProcessId)');
  const CreateFileW = lib.func(
    'intptr_t __stdcall CreateFileW(const char16_t *lpFileName, uint32_t dwDesiredAccess, uint32_t dwShareMode, void *lpSecurityAttributes, uint32_t dwCreationDisposition, uint32_t dwFlagsAndAttributes, intptr_t hTemplateFile)',
  );
  const WriteConsoleInputW = lib.func(
    'bool __stdcall WriteConsoleInputW(intptr_t hConsoleInput, const void *lpBuffer, uint32_t nLength, _Out_ uint32_t *lpNumberOfEventsWritten)',
  );
  const CloseHandle = lib.func('bool __stdcall CloseHandle(intptr_t hObject)');
  const GetLastError = lib.func('uint32_t __stdcall GetLastError()');
  return {
    FreeConsole: () => Boolean(FreeConsole()),
    AttachConsole: (pid) => Boolean(AttachConsole(pid)),
    CreateFileW: (name, access, share, _security, disposition, flags) => Number(CreateFileW(name, access, share, null, disposition, flags, 0)),
    WriteConsoleInputW: (handle, records, count, written) => Boolean(WriteConsoleInputW(handle, records, count, written)),
    CloseHandle: (handle) => Boolean(CloseHandle(handle)),
    GetLastError: () => Number(GetLastError()),
  };
}
