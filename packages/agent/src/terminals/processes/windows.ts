// The Windows process table through kernel32 (Toolhelp snapshot, command lines from each
// process's PEB), loaded through koffi. A PowerShell start costs one to three seconds and
// PowerShell is not everywhere (Wine has a stub); this costs milliseconds. Loaded only on Windows.
import type { ProcessEntry } from './names.js';
import { normalizeName } from './names.js';

const TH32CS_SNAPPROCESS = 0x2;
const PROCESS_QUERY_INFORMATION = 0x0400;
const PROCESS_VM_READ = 0x0010;
// x64 and arm64 layouts: PEB.ProcessParameters, RTL_USER_PROCESS_PARAMETERS.CommandLine.
const PEB_PROCESS_PARAMETERS = 0x20n;
const PARAMETERS_COMMAND_LINE = 0x70n;
const MAX_COMMAND_LINE_BYTES = 65_534;

export interface WindowsProcesses {
  /** Every process: pid, parent and image name. */
  table(): ProcessEntry[];
  /** A process's command line, or undefined when it cannot be read (another user's, protected, gone). */
  commandLine(pid: number): string | undefined;
}

let loaded: Promise<WindowsProcesses> | undefined;

/** The binding, made once per process (koffi type names are global). Rejects where koffi or kernel32 is missing. */
export function loadWindowsProcesses(): Promise<WindowsProcesses> {
  loaded ??= bind();
  return loaded;
}

async function bind(): Promise<WindowsProcesses> {
  const koffi = (await import('koffi')).default;
  const k32 = koffi.load('kernel32.dll');
  const ntdll = koffi.load('ntdll.dll');
  const entryType = koffi.struct('crosstalk_PROCESSENTRY32W', {
    dwSize: 'uint32',
    cntUsage: 'uint32',
    th32ProcessID: 'uint32',
    th32DefaultHeapID: 'uintptr_t',
    th32ModuleID: 'uint32',
    cntThreads: 'uint32',
    th32ParentProcessID: 'uint32',
    pcPriClassBase: 'int32',
    dwFlags: 'uint32',
    szExeFile: koffi.array('char16_t', 260, 'String'),
  });
  const snapshot = k32.func('intptr_t __stdcall CreateToolhelp32Snapshot(uint32_t dwFlags, uint32_t th32ProcessID)');
  const first = k32.func('int __stdcall Process32FirstW(intptr_t hSnapshot, _Inout_ crosstalk_PROCESSENTRY32W *lppe)');
  const next = k32.func('int __stdcall Process32NextW(intptr_t hSnapshot, _Inout_ crosstalk_PROCESSENTRY32W *lppe)');
  const openProcess = k32.func('intptr_t __stdcall OpenProcess(uint32_t dwDesiredAccess, int bInheritHandle, uint32_t dwProcessId)');
  const readMemory = k32.func(
    'int __stdcall ReadProcessMemory(intptr_t hProcess, uint64_t lpBaseAddress, _Out_ void *lpBuffer, size_t nSize, _Out_ size_t *lpNumberOfBytesRead)',
  );
  const closeHandle = k32.func('int __stdcall CloseHandle(intptr_t hObject)');
  const queryProcess = ntdll.func(
    'int32_t __stdcall NtQueryInformationProcess(intptr_t ProcessHandle, int ProcessInformationClass, _Out_ void *ProcessInformation, uint32_t ProcessInformationLength, _Out_ uint32_t *ReturnLength)',
  );
  const size = koffi.sizeof(entryType);

  function table(): ProcessEntry[] {
    const handle = Number(snapshot(TH32CS_SNAPPROCESS, 0));
    if (handle === -1) throw new Error('CreateToolhelp32Snapshot failed');
    try {
      const entries: ProcessEntry[] = [];
      const entry: Record<string, unknown> = { dwSize: size };
      for (let ok = first(handle, entry); ok; ok = next(handle, entry)) {
        entries.push({ pid: Number(entry.th32ProcessID), ppid: Number(entry.th32ParentProcessID), name: normalizeName(String(entry.szExeFile), 'win32') });
      }
      return entries;
    } finally {
      closeHandle(handle);
    }
  }

  /** Reads `length` bytes at `address` of the process, or null. */
  function read(process: number, address: bigint, length: number): Buffer | null {
    const buffer = Buffer.alloc(length);
    const done = [0];
    return readMemory(process, address, buffer, length, done) !== 0 && Number(done[0]) === length ? buffer : null;
  }

  function commandLine(pid: number): string | undefined {
    const process = Number(openProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, 0, pid));
    if (process === 0) return undefined;
    try {
      // ProcessBasicInformation (class 0): PebBaseAddress at offset 8.
      const basic = Buffer.alloc(48);
      if (queryProcess(process, 0, basic, basic.length, [0]) !== 0) return undefined;
      const params = read(process, basic.readBigUInt64LE(8) + PEB_PROCESS_PARAMETERS, 8)?.readBigUInt64LE(0);
      const unicode = params === undefined ? null : read(process, params + PARAMETERS_COMMAND_LINE, 16);
      if (!unicode) return undefined;
      const length = unicode.readUInt16LE(0);
      if (length === 0 || length > MAX_COMMAND_LINE_BYTES) return undefined;
      return read(process, unicode.readBigUInt64LE(8), length)?.toString('utf16le');
    } finally {
      closeHandle(process);
    }
  }

  return { table, commandLine };
}
