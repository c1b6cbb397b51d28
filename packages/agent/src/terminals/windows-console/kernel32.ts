// The real kernel32 binding through koffi. Loaded only on Windows, only in the helper process.
import type { ConsoleControl } from './screen.js';
import type { ConsoleBufferInfo, Kernel32Like } from './sequence.js';

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
  // CONSOLE_SCREEN_BUFFER_INFO is 22 bytes, read by hand; a COORD (two int16) goes by value as
  // one 32-bit integer, as the x64 and arm64 calling conventions pass a 4-byte struct.
  GetConsoleScreenBufferInfo: 'int __stdcall GetConsoleScreenBufferInfo(intptr_t hConsoleOutput, _Out_ uint8_t *lpConsoleScreenBufferInfo)',
  ReadConsoleOutputCharacterW:
    'int __stdcall ReadConsoleOutputCharacterW(intptr_t hConsoleOutput, _Out_ uint16_t *lpCharacter, uint32_t nLength, uint32_t dwReadCoord, _Out_ uint32_t *lpNumberOfCharsRead)',
  GetLastError: 'uint32_t __stdcall GetLastError()',
  SetConsoleCtrlHandler: 'int __stdcall SetConsoleCtrlHandler(void *HandlerRoutine, int Add)',
  GenerateConsoleCtrlEvent: 'int __stdcall GenerateConsoleCtrlEvent(uint32_t dwCtrlEvent, uint32_t dwProcessGroupId)',
} as const;

/** The calls of the helper's `interrupt` mode (screen.ts). */
export async function loadConsoleControl(): Promise<ConsoleControl> {
  const koffi = (await import('koffi')).default;
  const lib = koffi.load('kernel32.dll');
  const SetConsoleCtrlHandler = lib.func(KERNEL32_PROTOTYPES.SetConsoleCtrlHandler);
  const GenerateConsoleCtrlEvent = lib.func(KERNEL32_PROTOTYPES.GenerateConsoleCtrlEvent);
  return {
    SetConsoleCtrlHandler: (ignore) => SetConsoleCtrlHandler(null, ignore ? 1 : 0) !== 0,
    GenerateConsoleCtrlEvent: (event, group) => GenerateConsoleCtrlEvent(event, group) !== 0,
  };
}

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
  const GetConsoleScreenBufferInfo = fn('GetConsoleScreenBufferInfo');
  const ReadConsoleOutputCharacterW = fn('ReadConsoleOutputCharacterW');
  return {
    FreeConsole: () => FreeConsole() !== 0,
    AttachConsole: (pid) => AttachConsole(pid) !== 0,
    CreateFileW: (name, access, share, _security, disposition, flags) => Number(CreateFileW(name, access, share, null, disposition, flags, 0)),
    WriteConsoleInputW: (handle, records, count, written) => WriteConsoleInputW(handle, records, count, written) !== 0,
    CloseHandle: (handle) => CloseHandle(handle) !== 0,
    GetLastError: () => Number(GetLastError()),
    GetConsoleScreenBufferInfo: (handle) => {
      const info = Buffer.alloc(22);
      return GetConsoleScreenBufferInfo(handle, info) !== 0 ? parseBufferInfo(info) : null;
    },
    ReadConsoleOutputCharacterW: (handle, length, x, y) => {
      const chars = Buffer.alloc(length * 2);
      const read = [0];
      if (ReadConsoleOutputCharacterW(handle, chars, length, ((y & 0xffff) << 16) | (x & 0xffff), read) === 0) return null;
      return chars.subarray(0, Number(read[0]) * 2).toString('utf16le');
    },
  };
}

/** CONSOLE_SCREEN_BUFFER_INFO: dwSize, dwCursorPosition, wAttributes, srWindow (left, top, right, bottom), …. */
export function parseBufferInfo(info: Buffer): ConsoleBufferInfo {
  return {
    cursorX: info.readInt16LE(4),
    cursorY: info.readInt16LE(6),
    left: info.readInt16LE(10),
    top: info.readInt16LE(12),
    right: info.readInt16LE(14),
    bottom: info.readInt16LE(16),
  };
}
