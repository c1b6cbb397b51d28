// The helper's `screen` and `interrupt` modes against a fake console: what is read, and that the
// console is left on every path.
import { describe, expect, it } from 'vitest';
import { interruptConsole, readScreen } from './screen.js';
import type { ConsoleBufferInfo, Kernel32Like } from './sequence.js';

function fakeConsole(rows: string[], info: ConsoleBufferInfo, o: { attach?: boolean } = {}) {
  const calls: string[] = [];
  const note = <T>(call: string, answer: T): T => {
    calls.push(call);
    return answer;
  };
  const k32: Kernel32Like = {
    FreeConsole: () => note('free', true),
    AttachConsole: (pid) => note(`attach ${pid}`, o.attach ?? true),
    CreateFileW: (name) => note(`open ${name}`, 7),
    WriteConsoleInputW: () => false,
    CloseHandle: (h) => note(`close ${h}`, true),
    GetLastError: () => 5,
    GetConsoleScreenBufferInfo: () => info,
    ReadConsoleOutputCharacterW: (_h, length, x, y) => (rows[y] ?? '').slice(x, x + length).padEnd(length),
  };
  return { k32, calls };
}

const buffer = Array.from({ length: 150 }, (_, y) => (y < 40 ? `row ${y}` : ''));

describe("reading a console's screen", () => {
  it('takes the last rows up to the cursor, scrollback included, and the rows the window shows below it', () => {
    const { k32, calls } = fakeConsole(buffer, { cursorX: 2, cursorY: 39, left: 0, top: 125, right: 79, bottom: 149 });
    const seen = readScreen(k32, 42, 5);
    expect('lines' in seen && seen.lines.slice(0, 5)).toEqual(['row 35', 'row 36', 'row 37', 'row 38', 'row 39']);
    expect('lines' in seen && seen.lines.slice(5).every((l) => l === '')).toBe(true);
    expect(calls).toEqual(['free', 'attach 42', 'open CONOUT$', 'close 7', 'free']);
  });

  it('reads past a window that did not follow the cursor', () => {
    const { k32 } = fakeConsole(buffer, { cursorX: 0, cursorY: 39, left: 0, top: 0, right: 79, bottom: 24 });
    const seen = readScreen(k32, 42, 3);
    expect('lines' in seen && seen.lines.filter((l) => l !== '').slice(-3)).toEqual(['row 37', 'row 38', 'row 39']);
  });

  it('gives the window for the screen readers with rows 0', () => {
    const { k32 } = fakeConsole(buffer, { cursorX: 3, cursorY: 4, left: 0, top: 2, right: 79, bottom: 5 });
    expect(readScreen(k32, 42, 0)).toEqual({ lines: ['row 2', 'row 3', 'row 4', 'row 5'], cursorX: 3, cursorY: 2 });
  });

  it('says why when the console cannot be attached, and leaves its own', () => {
    const { k32, calls } = fakeConsole(buffer, { cursorX: 0, cursorY: 0, left: 0, top: 0, right: 79, bottom: 24 }, { attach: false });
    expect(readScreen(k32, 42, 5)).toEqual({ error: 'AttachConsole(42) failed (error 5)' });
    expect(calls).toEqual(['free', 'attach 42']);
  });
});

describe('interrupting a console', () => {
  it('ignores CTRL+C itself, sends it to the whole console (group 0), and detaches', () => {
    const { k32, calls } = fakeConsole([], { cursorX: 0, cursorY: 0, left: 0, top: 0, right: 79, bottom: 24 });
    const sent: string[] = [];
    const control = {
      SetConsoleCtrlHandler: (ignore: boolean) => sent.push(`ignore ${ignore}`) > 0,
      GenerateConsoleCtrlEvent: (e: number, g: number) => sent.push(`event ${e} group ${g}`) > 0,
    };
    expect(interruptConsole(k32, control, 42)).toEqual({ ok: true });
    expect(sent).toEqual(['ignore true', 'event 0 group 0']);
    expect(calls).toEqual(['free', 'attach 42', 'free']);
    const refused = { ...control, GenerateConsoleCtrlEvent: () => false };
    expect(interruptConsole(k32, refused, 42)).toEqual({ error: 'GenerateConsoleCtrlEvent failed (error 5)' });
  });
});
