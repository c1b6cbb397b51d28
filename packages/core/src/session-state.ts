// What a coding-agent session is doing, from the signals its own hooks send (SPEC §6): waiting for
// its next prompt, working, waiting for its person to answer a dialog, gone, or unknown (no
// signal). Pure: the agent feeds signals in and carries the state to the relay as presence.

export const SESSION_STATES = ['idle', 'working', 'waiting-input', 'gone', 'unknown'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/**
 * The hook events of every coding agent, reduced to what they say about the session. `started`:
 * the session began (or resumed) and waits for a prompt. `prompt`: a prompt was submitted.
 * `tool`: it runs a tool (after a dialog: the person answered). `asking`: a permission or
 * question dialog is open. `stopped`: its turn ended, also on an error. `idle`: it has waited a
 * while for a prompt. `ended`: the session exited.
 */
export const SESSION_SIGNALS = ['started', 'prompt', 'tool', 'asking', 'stopped', 'idle', 'ended'] as const;
export type SessionSignal = (typeof SESSION_SIGNALS)[number];

export function isSessionState(value: unknown): value is SessionState {
  return typeof value === 'string' && (SESSION_STATES as readonly string[]).includes(value);
}

/** The state after a signal. A session that is gone comes back only by starting again. */
export function nextSessionState(current: SessionState, signal: SessionSignal): SessionState {
  if (current === 'gone' && signal !== 'started') return 'gone';
  switch (signal) {
    case 'started':
    case 'stopped':
    case 'idle':
      return 'idle';
    case 'prompt':
    case 'tool':
      return 'working';
    case 'asking':
      return 'waiting-input';
    case 'ended':
      return 'gone';
  }
}

/** Whether a wake-up may reach the session now: idle, or no signal to go by. */
export function takesWakeUps(state: SessionState): boolean {
  return state === 'idle' || state === 'unknown';
}
