import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@crosstalk/core/test-support';
import { TmuxLab } from './__fixtures__/tmux-lab.js';
import {
  argumentText,
  guardCondition,
  guardedPasteArgs,
  parseGuardAnswer,
  parseGuardState,
  quietBefore,
  refusal,
  STATE_FORMAT,
  type GuardState,
} from './guard.js';
import { newestActivityMs } from './preflight.js';

const target = { pane: '%7', panePid: 4242 };

describe('quiet time', () => {
  it('agrees with the per-client rule: activity in second s counts as s + 1', () => {
    for (const userIdleMs of [0, 999, 1000, 2000, 2500]) {
      for (const nowMs of [1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_999, 1_700_000_001_500]) {
        for (let activity = 1_699_999_990; activity <= 1_700_000_002; activity++) {
          const newest = newestActivityMs([`$1\t${activity}`], '$1')!;
          const typing = nowMs - newest < userIdleMs;
          expect(activity >= quietBefore(nowMs, userIdleMs)).toBe(typing);
        }
      }
    }
  });
});

describe('guard condition', () => {
  it('is built from the pane id, the process id and the time only', () => {
    const condition = guardCondition(target, 1_700_000_000);
    expect(condition).toContain('#{==:#{pane_id},%7}');
    expect(condition).toContain('#{==:#{pane_pid},4242}');
    expect(condition).toContain('#{e|<|:#{session_activity},1700000000}');
    expect(condition.replace(/#\{[a-z_|<=&:!]+/g, '').replace(/[},%0-9]/g, '')).toBe('');
  });

  it('with a screen read before, also holds the cursor where it was', () => {
    const condition = guardCondition(target, 1_700_000_000, { x: 2, y: 37 });
    expect(condition).toContain('#{==:#{cursor_x},2}');
    expect(condition).toContain('#{==:#{cursor_y},37}');
    expect(guardCondition(target, 1_700_000_000)).not.toContain('cursor');
    expect(() => guardCondition(target, 0, { x: -1, y: 0 })).toThrow();
    expect(() => guardCondition(target, 0, { x: 1.5, y: 0 })).toThrow();
  });

  it('refuses anything else', () => {
    expect(() => guardCondition({ pane: '%1}', panePid: 1 }, 0)).toThrow();
    expect(() => guardCondition({ pane: '%1 ; kill-server', panePid: 1 }, 0)).toThrow();
    expect(() => guardCondition({ pane: '%1', panePid: 1.5 }, 0)).toThrow();
    expect(() => guardCondition({ pane: '%1', panePid: 0 }, 0)).toThrow();
    expect(() => guardCondition({ pane: '%1', panePid: 1 }, Number.NaN)).toThrow();
    expect(() => guardedPasteArgs(target, 'buf;kill-server', 'text', 0)).toThrow();
  });

  it('keeps the text a separate argument, escaped only at a final semicolon', () => {
    const args = guardedPasteArgs(target, 'crosstalk-wake-1-1-ab', "-x '#{pane_id}' ; kill-server", 5);
    expect(args.slice(0, 6)).toEqual(['set-buffer', '-b', 'crosstalk-wake-1-1-ab', '--', "-x '#{pane_id}' ; kill-server", ';']);
    expect(args.slice(6, 10)).toEqual(['if-shell', '-F', '-t', '%7']);
    expect(args[11]).toBe('paste-buffer -p -d -b crosstalk-wake-1-1-ab -t %7 ; display-message -p crosstalk-pasted');
    expect(args[12]).toBe(`delete-buffer -b crosstalk-wake-1-1-ab ; display-message -p -t %7 '${STATE_FORMAT}'`);
    expect(args).toHaveLength(13);
    expect(argumentText('a;')).toBe('a\\;');
    expect(argumentText('a\\;')).toBe('a\\\\;');
    expect(argumentText('a; b')).toBe('a; b');
  });
});

describe('the answer', () => {
  const fine: GuardState = {
    paneId: '%7',
    panePid: 4242,
    dead: false,
    inMode: false,
    inputOff: false,
    synchronized: false,
    activity: 100,
    created: 50,
    cursorX: 2,
    cursorY: 37,
  };

  it('tells a paste from a refusal with the pane state', () => {
    expect(parseGuardAnswer('crosstalk-pasted\n')).toEqual({ pasted: true });
    expect(parseGuardAnswer('crosstalk-state\t%7\t4242\t0\t1\t0\t0\t100\t50\t2\t37\n')).toEqual({ state: { ...fine, inMode: true } });
    expect(parseGuardAnswer('something else')).toEqual({ unexpected: 'something else' });
    expect(parseGuardAnswer('')).toEqual({ unexpected: '' });
    // tmux prints empty fields for a pane it cannot find.
    expect(parseGuardState('crosstalk-state\t\t\t\t\t\t\t\t')).toMatchObject({ paneId: '' });
  });

  it('names the reason in the order of the checks', () => {
    expect(refusal({ ...fine, paneId: '' }, target, 100)).toEqual({ status: 'failed', reason: 'pane-gone', detail: 'no pane %7' });
    expect(refusal({ ...fine, panePid: 9, dead: true }, target, 100)).toMatchObject({ status: 'failed', reason: 'pane-gone' });
    expect(refusal({ ...fine, dead: true, inMode: true }, target, 100)).toEqual({ status: 'failed', reason: 'pane-dead' });
    expect(refusal({ ...fine, inMode: true, inputOff: true }, target, 100)).toEqual({ status: 'deferred', reason: 'copy-mode' });
    expect(refusal({ ...fine, inputOff: true, synchronized: true }, target, 100)).toMatchObject({ status: 'deferred', reason: 'busy' });
    expect(refusal({ ...fine, synchronized: true }, target, 101)).toMatchObject({ status: 'deferred', reason: 'busy' });
    expect(refusal(fine, target, 100)).toEqual({ status: 'deferred', reason: 'user-typing' });
    expect(refusal(fine, target, 101)).toBeNull();
    // Untouched since it was created: quiet.
    expect(refusal({ ...fine, created: 100 }, target, 100)).toBeNull();
    // The screen changed since it was read: not typed, tried again later.
    expect(refusal(fine, target, 101, { x: 2, y: 37 })).toBeNull();
    expect(refusal(fine, target, 101, { x: 5, y: 37 })).toMatchObject({ status: 'deferred', reason: 'busy' });
  });
});

describe('the condition on a real server', () => {
  let lab: TmuxLab;
  beforeEach(async () => {
    lab = await TmuxLab.start();
  });
  afterEach(async () => {
    await lab.stop();
  });

  it('is 1 for the recorded pane and 0 for anything else', async () => {
    const { pane, panePid } = await lab.window(['sleep', '100000']);
    const now = quietBefore(Date.now(), 0);
    const evaluate = async (t: { pane: string; panePid: number }, quiet: number) =>
      (await lab.tmux(['display-message', '-p', '-t', pane, guardCondition(t, quiet)])).trim();
    expect(await evaluate({ pane, panePid }, now + 10)).toBe('1');
    // Nobody touched the session since it was created: quiet, whatever the quiet time.
    expect(await evaluate({ pane, panePid }, now - 100)).toBe('1');
    expect(await evaluate({ pane, panePid: panePid + 1 }, now + 10)).toBe('0');
    expect(await evaluate({ pane: '%999', panePid }, now + 10)).toBe('0');
    await lab.tmux(['copy-mode', '-t', pane]);
    expect(await evaluate({ pane, panePid }, now + 10)).toBe('0');
    const state = parseGuardState(await lab.tmux(['display-message', '-p', '-t', pane, STATE_FORMAT]));
    expect(state).toMatchObject({ paneId: pane, panePid, dead: false, inMode: true, inputOff: false, synchronized: false });
    expect(state!.activity).toBe(state!.created);
  });

  it('is 0 once the cursor has moved from where the screen was read', async () => {
    const { pane, panePid } = await lab.window(['sh', '-c', 'printf "ab"; read x; printf "cdef"; sleep 100000']);
    const at = async () => (await lab.tmux(['display-message', '-p', '-t', pane, '#{cursor_x} #{cursor_y}'])).trim();
    await waitFor('the first text', async () => (await at()) === '2 0');
    const evaluate = async (cursor: { x: number; y: number }) =>
      (await lab.tmux(['display-message', '-p', '-t', pane, guardCondition({ pane, panePid }, quietBefore(Date.now(), 0) + 10, cursor)])).trim();
    expect(await evaluate({ x: 2, y: 0 })).toBe('1');
    await lab.tmux(['send-keys', '-t', pane, 'Enter']);
    await waitFor('the cursor to move', async () => (await at()) === '4 1');
    expect(await evaluate({ x: 2, y: 0 })).toBe('0');
    const state = parseGuardState(await lab.tmux(['display-message', '-p', '-t', pane, STATE_FORMAT]));
    expect(state).toMatchObject({ cursorX: 4, cursorY: 1 });
  });
});
