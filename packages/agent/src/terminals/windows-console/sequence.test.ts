import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { enterRecords, textRecords } from './records.js';
import { INVALID_HANDLE_VALUE, typeIntoConsole, type Kernel32Like } from './sequence.js';
import { KERNEL32_PROTOTYPES } from './kernel32.js';

type Fail = Partial<Record<'AttachConsole' | 'CreateFileW' | 'WriteText' | 'WriteEnter' | 'Throw', boolean>>;

/** A stand-in for kernel32 that records every call and fails where told to. */
function standIn(fail: Fail = {}, perCall = Infinity) {
  const calls: unknown[][] = [];
  let writes = 0;
  /** Notes a call, then answers it. */
  const noted = <T>(call: unknown[], answer: T): T => {
    calls.push(call);
    return answer;
  };
  const k32: Kernel32Like = {
    FreeConsole: () => noted(['FreeConsole'], true),
    AttachConsole: (pid) => noted(['AttachConsole', pid], !fail.AttachConsole),
    CreateFileW: (...args) => noted(['CreateFileW', ...args], fail.CreateFileW ? INVALID_HANDLE_VALUE : 77),
    WriteConsoleInputW: (handle, records, count, written) => {
      calls.push(['WriteConsoleInputW', handle, Buffer.from(records).toString('hex'), count]);
      writes++;
      if (fail.Throw) throw new Error('koffi exploded');
      if ((writes === 1 && fail.WriteText) || (writes > 1 && fail.WriteEnter)) return false;
      written[0] = Math.min(count, perCall);
      return true;
    },
    CloseHandle: (handle) => noted(['CloseHandle', handle], true),
    GetLastError: () => 5,
    GetConsoleScreenBufferInfo: () => null,
    ReadConsoleOutputCharacterW: () => null,
  };
  return { k32, calls };
}

const text = textRecords('hi');
const enter = enterRecords();

async function run(fail: Fail = {}, perCall = Infinity) {
  const { k32, calls } = standIn(fail, perCall);
  const outcome = await typeIntoConsole(k32, {
    pid: 4242,
    text,
    enter,
    settleMs: 300,
    sleep: async (ms) => void calls.push(['sleep', ms]),
  });
  return { outcome, calls };
}

describe('console call sequence', () => {
  it('detaches, attaches, opens CONIN$, writes the text, waits, writes Enter separately, cleans up', async () => {
    const { outcome, calls } = await run();
    expect(outcome).toEqual({ status: 'delivered' });
    expect(calls).toEqual([
      ['FreeConsole'],
      ['AttachConsole', 4242],
      // GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING
      ['CreateFileW', 'CONIN$', 0xc0000000, 3, null, 3, 0, null],
      ['WriteConsoleInputW', 77, text.toString('hex'), 4],
      ['sleep', 300],
      ['WriteConsoleInputW', 77, enter.toString('hex'), 2],
      ['CloseHandle', 77],
      ['FreeConsole'],
    ]);
  });

  it('writes the rest when the console takes fewer records per call', async () => {
    const { outcome, calls } = await run({}, 3);
    expect(outcome).toEqual({ status: 'delivered' });
    const writes = calls.filter((c) => c[0] === 'WriteConsoleInputW').map((c) => c[3]);
    expect(writes).toEqual([4, 1, 2]);
  });

  it('reports process-gone when AttachConsole fails, and opens nothing', async () => {
    const { outcome, calls } = await run({ AttachConsole: true });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'process-gone' });
    expect(calls).toEqual([['FreeConsole'], ['AttachConsole', 4242]]);
  });

  it('reports wake-error when CONIN$ cannot be opened, and detaches', async () => {
    const { outcome, calls } = await run({ CreateFileW: true });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'wake-error' });
    expect(calls.map((c) => c[0])).toEqual(['FreeConsole', 'AttachConsole', 'CreateFileW', 'FreeConsole']);
  });

  it.each([
    ['the text write fails', { WriteText: true }, ['WriteConsoleInputW']],
    ['the Enter write fails', { WriteEnter: true }, ['WriteConsoleInputW', 'sleep', 'WriteConsoleInputW']],
    ['a call throws', { Throw: true }, ['WriteConsoleInputW']],
  ] as const)('closes the handle and detaches when %s', async (_name, fail, middle) => {
    const { outcome, calls } = await run(fail);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'wake-error' });
    expect(calls.map((c) => c[0])).toEqual(['FreeConsole', 'AttachConsole', 'CreateFileW', ...middle, 'CloseHandle', 'FreeConsole']);
  });
});

describe('kernel32 binding', () => {
  it('declares prototypes koffi parses, with 4-byte BOOLs and integer handles', () => {
    for (const [name, prototype] of Object.entries(KERNEL32_PROTOTYPES)) {
      expect(koffi.introspect(koffi.proto(prototype))).toMatchObject({ name });
      expect(prototype).not.toMatch(/\bbool\b|HANDLE/);
    }
    expect(koffi.sizeof('int')).toBe(4);
  });
});
