// The wake-up's one tmux call. The text goes into a buffer, and the server pastes it only if the
// pane passes the checks, evaluated by tmux itself in the same instant (`if-shell -F` over a
// format); otherwise it drops the buffer and prints the pane's state, which says why. A tmux call
// is a process start, the biggest cost of a wake-up, and this makes one where checking and
// pasting took two.
//
// What goes into tmux's command parser (the two branches of if-shell) is built only from fixed
// words, the pane id, the buffer name and numbers, each checked here; the text is an argument
// of its own, which tmux never parses.
import { deferred, failed, type WakeOutcome } from '../types.js';

/** What the guarded paste needs to know of the target. */
export interface GuardTarget {
  /** `%N`. */
  pane: string;
  /** The pane's first process as recorded at join. */
  panePid: number;
}

/** The pane as the server saw it when it refused to paste. */
export interface GuardState {
  paneId: string;
  panePid: number;
  dead: boolean;
  inMode: boolean;
  inputOff: boolean;
  synchronized: boolean;
  /** `#{session_activity}`: whole seconds. */
  activity: number;
  /** `#{session_created}`: whole seconds. */
  created: number;
  cursorX: number;
  cursorY: number;
}

/** Where the cursor was when the screen was read and found ready: it must not have moved since. */
export interface SeenCursor {
  x: number;
  y: number;
}

const PASTED = 'crosstalk-pasted';
const STATE = 'crosstalk-state';
const STATE_FIELDS = [
  '#{pane_id}',
  '#{pane_pid}',
  '#{pane_dead}',
  '#{pane_in_mode}',
  '#{pane_input_off}',
  '#{pane_synchronized}',
  '#{session_activity}',
  '#{session_created}',
  '#{cursor_x}',
  '#{cursor_y}',
];
/** The line the refusing branch prints; also usable on its own with `display-message -p`. */
export const STATE_FORMAT = [STATE, ...STATE_FIELDS].join('\t');

const PANE = /^%\d{1,9}$/;
const BUFFER = /^[A-Za-z0-9-]{1,100}$/;

/**
 * The newest `#{session_activity}` second that still counts as quiet. tmux keeps whole seconds, so
 * activity in second *s* may have happened up to *s + 1*; the pane is quiet when that is at least
 * `userIdleMs` before `nowMs`.
 */
export function quietBefore(nowMs: number, userIdleMs: number): number {
  return Math.floor((nowMs - userIdleMs) / 1000);
}

/** `#{&&:a,#{&&:b,c}}`: tmux 3.3's `&&` takes two operands. */
const all = (terms: string[]): string => terms.reduceRight((rest, term) => `#{&&:${term},${rest}}`);

/**
 * The tmux format that is `1` when the text may be pasted: the pane is the recorded one (same id,
 * same first process), alive, in no mode, takes input, is not synchronized with other panes, and
 * nobody typed in its session lately. A session nobody touched since it was created counts as
 * quiet (its activity is its creation time). With `cursor`, the cursor must still be where it
 * was when the screen was read: a dialog or a keystroke since would have moved it.
 */
export function guardCondition(target: GuardTarget, quiet: number, cursor?: SeenCursor): string {
  check(target, quiet);
  const still = cursor ? [`#{==:#{cursor_x},${whole(cursor.x)}}`, `#{==:#{cursor_y},${whole(cursor.y)}}`] : [];
  return all([
    ...still,
    `#{==:#{pane_id},${target.pane}}`,
    `#{==:#{pane_pid},${target.panePid}}`,
    '#{==:#{pane_dead},0}',
    '#{==:#{pane_in_mode},0}',
    '#{==:#{pane_input_off},0}',
    '#{==:#{pane_synchronized},0}',
    `#{||:#{e|<|:#{session_activity},${quiet}},#{==:#{session_activity},#{session_created}}}`,
  ]);
}

/**
 * tmux ends a command at an argument that ends with `;` (and turns a final `\;` into `;`), also
 * in the text of set-buffer; a backslash before a final `;` keeps the text as it is.
 */
export function argumentText(text: string): string {
  return text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text;
}

/**
 * `set-buffer -b <buffer> -- <text> ; if-shell -F -t <pane> <condition> <paste> <refuse>`. The paste
 * branch deletes the buffer after pasting (`-d`; `-p`: bracketed paste only if the application
 * asked for it); the refusing branch deletes it and prints the state.
 */
export function guardedPasteArgs(target: GuardTarget, buffer: string, text: string, quiet: number, cursor?: SeenCursor): string[] {
  const condition = guardCondition(target, quiet, cursor);
  if (!BUFFER.test(buffer)) throw new Error(`unusable tmux buffer name ${JSON.stringify(buffer)}`);
  const { pane } = target;
  return [
    'set-buffer',
    '-b',
    buffer,
    '--',
    argumentText(text),
    ';',
    'if-shell',
    '-F',
    '-t',
    pane,
    condition,
    `paste-buffer -p -d -b ${buffer} -t ${pane} ; display-message -p ${PASTED}`,
    `delete-buffer -b ${buffer} ; display-message -p -t ${pane} '${STATE_FORMAT}'`,
  ];
}

/** What the guarded call printed: the text was pasted, or the state of a pane that refused it. */
export type GuardAnswer = { pasted: true } | { state: GuardState } | { unexpected: string };

export function parseGuardAnswer(out: string): GuardAnswer {
  const line = out.trim();
  if (line === PASTED) return { pasted: true };
  const state = parseGuardState(line);
  return state ? { state } : { unexpected: line };
}

/** Parses a STATE_FORMAT line; tmux prints empty fields for a pane it cannot find. */
export function parseGuardState(line: string): GuardState | null {
  const [marker, paneId = '', pid, dead, inMode, inputOff, synchronized, activity, created, cursorX, cursorY] = line.trim().split('\t');
  if (marker !== STATE) return null;
  return {
    paneId,
    panePid: Number(pid || Number.NaN),
    dead: dead === '1',
    inMode: inMode !== undefined && inMode !== '' && inMode !== '0',
    inputOff: inputOff === '1',
    synchronized: synchronized === '1',
    activity: Number(activity || Number.NaN),
    created: Number(created || Number.NaN),
    cursorX: Number(cursorX || Number.NaN),
    cursorY: Number(cursorY || Number.NaN),
  };
}

/**
 * Why a pane refused the paste, in the order the checks are reported: gone, dead, in a mode,
 * busy, someone typing. Null when the state shows nothing wrong.
 */
export function refusal(state: GuardState, target: GuardTarget, quiet: number, cursor?: SeenCursor): WakeOutcome | null {
  if (state.paneId !== target.pane) return failed('pane-gone', `no pane ${target.pane}`);
  // Pane ids restart at %0 with a new server: a different first process means a different pane.
  if (state.panePid !== target.panePid) return failed('pane-gone', `pane ${target.pane} now runs process ${state.panePid}, not ${target.panePid}`);
  if (state.dead) return failed('pane-dead');
  if (state.inMode) return deferred('copy-mode');
  if (state.inputOff) return deferred('busy', 'input to the pane is disabled');
  if (state.synchronized) return deferred('busy', 'the pane is synchronized with other panes');
  if (!(state.activity < quiet) && state.activity !== state.created) return deferred('user-typing');
  if (cursor && (state.cursorX !== cursor.x || state.cursorY !== cursor.y)) return deferred('busy', 'the screen changed between reading it and typing');
  return null;
}

function whole(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`unusable cursor position ${String(n)}`);
  return n;
}

function check(target: GuardTarget, quiet: number): void {
  if (!PANE.test(target.pane)) throw new Error(`unusable tmux pane id ${JSON.stringify(target.pane)}`);
  if (!Number.isSafeInteger(target.panePid) || target.panePid <= 0) throw new Error(`unusable pane process id ${String(target.panePid)}`);
  if (!Number.isSafeInteger(quiet)) throw new Error(`unusable time ${String(quiet)}`);
}
