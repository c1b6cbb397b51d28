import { describe, expect, it } from 'vitest';
import { nextSessionState, SESSION_SIGNALS, SESSION_STATES, type SessionSignal, type SessionState, takesWakeUps } from './session-state.js';

// Every signal in every state: the whole machine, written out.
const EXPECTED: Record<SessionState, Record<SessionSignal, SessionState>> = {
  unknown: { started: 'idle', prompt: 'working', tool: 'working', asking: 'waiting-input', stopped: 'idle', idle: 'idle', ended: 'gone' },
  idle: { started: 'idle', prompt: 'working', tool: 'working', asking: 'waiting-input', stopped: 'idle', idle: 'idle', ended: 'gone' },
  working: { started: 'idle', prompt: 'working', tool: 'working', asking: 'waiting-input', stopped: 'idle', idle: 'idle', ended: 'gone' },
  'waiting-input': { started: 'idle', prompt: 'working', tool: 'working', asking: 'waiting-input', stopped: 'idle', idle: 'idle', ended: 'gone' },
  gone: { started: 'idle', prompt: 'gone', tool: 'gone', asking: 'gone', stopped: 'gone', idle: 'gone', ended: 'gone' },
};

describe('session state', () => {
  for (const state of SESSION_STATES) {
    for (const signal of SESSION_SIGNALS) {
      it(`${state} + ${signal} → ${EXPECTED[state][signal]}`, () => {
        expect(nextSessionState(state, signal)).toBe(EXPECTED[state][signal]);
      });
    }
  }

  it('takes wake-ups only when idle, or when there is no signal to go by', () => {
    expect(SESSION_STATES.filter(takesWakeUps)).toEqual(['idle', 'unknown']);
  });
});
