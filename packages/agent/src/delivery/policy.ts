// When a wake-up may go to its session, from what the session's hooks say it is doing (SPEC §6):
// never into a session that works or waits for its person. Such a wake-up is held and goes on the
// session's next idle (through its Stop hook, without typing, when it has one). A hold whose
// session has said nothing for a while is checked on the screen instead, since a coding agent
// interrupted by its person may not say that it stopped. Pure.
import type { SessionState } from '@crosstalk/core';
import type { WakeEntry } from './journal.js';

export interface ActivityView {
  state: SessionState;
  /** When the state began or a hook last spoke, whichever is later (ms); null without hooks. */
  heardAt: number | null;
}

export interface HoldTimes {
  /** A hold is checked on the screen after the working session has been silent this long. */
  recheckMs: number;
  /**
   * The same for a session at a dialog: a person who declines one (or presses Esc) ends the turn
   * without any hook firing, so its screen is looked at often.
   */
  dialogRecheckMs: number;
}

const silenceAllowed = (state: SessionState, times: HoldTimes): number => (state === 'waiting-input' ? times.dialogRecheckMs : times.recheckMs);

/**
 * `go`: attempt now. `hold`: keep it until the session is idle (or silent for `recheckMs`).
 * `recheck`: the session said it was busy but has been silent since: attempt with the screen
 * check, and hold again if the screen agrees it is busy.
 */
export type Route = 'go' | 'hold' | 'recheck';

export const busy = (state: SessionState): boolean => state === 'working' || state === 'waiting-input';

export function route(entry: Pick<WakeEntry, 'held'>, activity: ActivityView, now: number, times: HoldTimes): Route {
  if (!busy(activity.state)) return 'go';
  if (!entry.held) return 'hold';
  const silentFor = activity.heardAt === null ? Infinity : now - activity.heardAt;
  return silentFor >= silenceAllowed(activity.state, times) ? 'recheck' : 'hold';
}

/** The receipt reason of a hold: the session works (`busy`) or a dialog waits (`waiting-input`). */
export function holdReason(state: SessionState): 'busy' | 'waiting-input' {
  return state === 'waiting-input' ? 'waiting-input' : 'busy';
}

/** When a held wake-up is looked at again: the silence its state allows after the session last spoke. */
export function recheckAt(activity: ActivityView, now: number, times: HoldTimes): number {
  return Math.max(now, (activity.heardAt ?? now) + silenceAllowed(activity.state, times));
}

/**
 * A delivered turn whose session went idle again without answering is reminded after a short
 * grace, not after the blind `nudgeAfterMs`: the new time it is due.
 */
export function remindAfterIdle(entry: Pick<WakeEntry, 'phase' | 'dueAt' | 'kind'>, now: number, graceMs: number): number | null {
  if (entry.phase !== 'waiting' || entry.kind === 'unanswered') return null;
  const at = now + graceMs;
  return at < entry.dueAt ? at : null;
}

/**
 * A coding agent draws its last busy frame a moment after its Stop hook ran: a busy screen this
 * soon after the session said it was idle is that frame, looked at again shortly, not a deferral.
 */
export const SCREEN_LAG_MS = 2_000;
export const SCREEN_LAG_RETRY_MS = 250;

export function screenLags(activity: ActivityView, now: number): boolean {
  return activity.state === 'idle' && activity.heardAt !== null && now - activity.heardAt < SCREEN_LAG_MS;
}
