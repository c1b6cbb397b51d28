import { describe, expect, it } from 'vitest';
import { claudeCodeScreen } from '../screens/claude-code.js';
import { decodeKeyRecords, enterRecords, textRecords } from './records.js';
import { typeIntoConsole, type Kernel32Like } from './sequence.js';

const WIDTH = 60;
const RULE = '─'.repeat(WIDTH);

/**
 * A console for the call sequence: a screen buffer drawn like Claude Code's prompt box (or a
 * permission dialog), whose input row takes the typed characters and is cleared by Enter, the
 * way the agent redraws it. Every call is noted.
 */
function fakeConsole(options: { dialog?: boolean; draft?: string; ignoreEnter?: boolean; typedMeanwhile?: string; readsLate?: number } = {}) {
  const calls: string[] = [];
  let input = options.draft ?? '';
  // What was typed but not yet read by the program: it shows after `readsLate` screen reads.
  let unread = '';
  let readsUntilShown = 0;
  const rows = (): string[] =>
    options.dialog
      ? ['', ' Bash command', '   rm -rf build', ' Do you want to proceed?', ' ❯ 1. Yes', '   2. No', ' Esc to cancel', '']
      : ['', ' ready', RULE, `❯ ${input}`, RULE, '  ⏸ manual mode on', '', ''];
  const cursor = () => (options.dialog ? { x: 3, y: 4 } : { x: 2 + input.length, y: 3 });
  const k32: Kernel32Like = {
    FreeConsole: () => true,
    AttachConsole: () => true,
    CreateFileW: (name) => (name === 'CONIN$' ? 10 : 11),
    WriteConsoleInputW: (_handle, records, count, written) => {
      for (const key of decodeKeyRecords(records)) {
        if (!key.down) continue;
        if (key.char === 0x0d) {
          calls.push('Enter');
          if (!options.ignoreEnter) input = '';
        } else if (key.char === 0x08) {
          calls.push('Backspace');
          input = input.slice(0, -1);
        } else if (options.readsLate) unread += String.fromCharCode(key.char);
        else input += String.fromCharCode(key.char);
      }
      if (unread !== '') readsUntilShown = options.readsLate ?? 0;
      if (!calls.includes('text')) {
        calls.push('text');
        if (options.typedMeanwhile) input = options.typedMeanwhile + input;
      }
      written[0] = count;
      return true;
    },
    CloseHandle: () => true,
    GetLastError: () => 0,
    GetConsoleScreenBufferInfo: () => {
      calls.push('read');
      // The program reads a little of what waits at each look at the screen, the rest later.
      if (unread !== '') {
        const n = readsUntilShown-- > 1 ? Math.ceil(unread.length / 2) : unread.length;
        input += unread.slice(0, n);
        unread = unread.slice(n);
      }
      const { x, y } = cursor();
      return { cursorX: x, cursorY: y + 100, left: 0, top: 100, right: WIDTH - 1, bottom: 107 };
    },
    ReadConsoleOutputCharacterW: (_handle, length, _x, y) => (rows()[y - 100] ?? '').padEnd(length, ' ').slice(0, length),
  };
  return { k32, calls, input: () => input };
}

const LINE = 'crosstalk: your turn in plan-x1 (turn 2/6).';

async function wake(console: ReturnType<typeof fakeConsole>) {
  return typeIntoConsole(console.k32, {
    pid: 7,
    text: textRecords(LINE),
    enter: enterRecords(),
    settleMs: 300,
    sleep: async () => undefined,
    reader: claudeCodeScreen,
    submitMs: 0,
  });
}

describe('console wake-up with a screen reader', () => {
  it('reads the screen, types into the empty prompt, and presses Enter once the input holds exactly the line', async () => {
    const c = fakeConsole();
    expect(await wake(c)).toEqual({ status: 'delivered' });
    expect(c.calls.filter((k) => k !== 'read')).toEqual(['text', 'Enter']);
    expect(c.calls[0]).toBe('read');
  });

  it('waits for a program that reads the console late to show the whole line, then presses Enter', async () => {
    const c = fakeConsole({ readsLate: 5 });
    expect(await wake(c)).toEqual({ status: 'delivered' });
    expect(c.calls.filter((k) => k !== 'read')).toEqual(['text', 'Enter']);
    expect(c.calls.indexOf('Enter')).toBeGreaterThan(c.calls.indexOf('text') + 5);
  });

  it('types nothing into a dialog or after a draft', async () => {
    const dialog = fakeConsole({ dialog: true });
    expect(await wake(dialog)).toEqual({ status: 'deferred', reason: 'waiting-input', detail: 'a permission prompt' });
    expect(dialog.calls).toEqual(['read']);
    const draft = fakeConsole({ draft: 'half a thought' });
    expect(await wake(draft)).toEqual({ status: 'deferred', reason: 'draft' });
    expect(draft.calls).toEqual(['read']);
  });

  it('takes the line back when someone typed before it, and presses no Enter', async () => {
    const c = fakeConsole({ typedMeanwhile: 'mine ' });
    expect(await wake(c)).toMatchObject({ status: 'failed', reason: 'not-submitted' });
    expect(c.calls).not.toContain('Enter');
    expect(c.input()).toBe('mine ');
  });

  it('presses Enter at most three times while the line stays, then reports not-submitted', async () => {
    const c = fakeConsole({ ignoreEnter: true });
    expect(await wake(c)).toMatchObject({ status: 'failed', reason: 'not-submitted' });
    expect(c.calls.filter((k) => k === 'Enter')).toHaveLength(3);
  });
});
