// What doctor says of a session from the running agent's status file: its state in words, and
// the two ways its wake-ups stall (owed while idle past the grace; a failed last attempt).
import { describe, expect, it } from 'vitest';
import { activityWords, owedFailures, stalled } from './doctor-host.js';

const now = Date.parse('2026-12-06T12:00:00Z');
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
const base = { name: 'cc', kind: 'claude-code', wake: 'tmux', online: true, lastReceipt: null };

describe('doctor on a session', () => {
  it('says what the hooks say, and when nothing has spoken', () => {
    expect(activityWords({ ...base, state: 'working', stateSince: at(90), lastSignal: { event: 'PreToolUse', at: at(3) } }, now)).toBe(
      'working for 90 s, last hook PreToolUse 3 s ago',
    );
    expect(activityWords({ ...base, state: 'unknown', stateSince: at(5), lastSignal: null }, now)).toBe(
      'no hook has spoken since the agent started (state unknown)',
    );
    // An agent older than session states writes none: nothing is said.
    expect(activityWords(base, now)).toBeNull();
    expect(activityWords(undefined, now)).toBeNull();
  });

  it('warns when a wake-up is owed to a session idle for longer than the grace', () => {
    const idle = { ...base, state: 'idle' as const, lastSignal: { event: 'Stop', at: at(300) } };
    expect(stalled({ ...idle, stateSince: at(300), pending: 1 }, 20_000, now)?.problem).toBe(
      '1 wake-up(s) owed to it while it has been idle for 5 min (more than the 20 s grace)',
    );
    expect(stalled({ ...idle, stateSince: at(10), pending: 1 }, 20_000, now)).toBeNull();
    expect(stalled({ ...idle, stateSince: at(300), pending: 0 }, 20_000, now)).toBeNull();
    // Working: the turn is held on purpose.
    expect(stalled({ ...idle, state: 'working', stateSince: at(300), pending: 1 }, 20_000, now)).toBeNull();
  });

  it('warns when the last wake-up failed, and says how it is tried again', () => {
    const failed = { ...base, lastReceipt: { conversation: 'talk-1', turn: 2, status: 'failed' as const, reason: 'bare-shell', attempt: 1, at: at(60) } };
    expect(stalled(failed, 20_000, now)).toEqual({
      problem: 'its last wake-up failed (talk-1 turn 2: bare-shell)',
      hint: 'start its coding agent in the pane and run `crosstalk join --as cc` there: failed wake-ups are tried again',
    });
  });

  it('names failed wake-ups whose turn is still owed, and what to do; none once the turn was answered', () => {
    const receipt = { conversation: 'talk-1', turn: 2, status: 'failed' as const, reason: 'bare-shell', attempt: 1, at: at(60) };
    const owed = owedFailures({ ...base, lastReceipt: receipt, failed: [{ conversation: 'talk-1', turn: 2 }] });
    expect(owed?.problem).toBe('a wake-up failed (last: bare-shell) and the turn is still unanswered: talk-1 turn 2');
    expect(owed?.hint).toContain('run `crosstalk join --as cc` there: failed wake-ups are tried again at once');
    expect(owed?.hint).toContain('`crosstalk read talk-1 --new --as cc`');
    // The agent lists what is owed: a failed receipt for a turn answered since is not a problem.
    expect(owedFailures({ ...base, lastReceipt: receipt, failed: [] })).toBeNull();
    expect(stalled({ ...base, lastReceipt: receipt, failed: [] }, 20_000, now)).toBeNull();
  });

  it('says that an unanswered turn went to the moderator', () => {
    const silent = { ...base, lastReceipt: { conversation: 'talk-1', turn: 4, status: 'failed' as const, reason: 'unanswered', attempt: 3, at: at(60) } };
    expect(stalled(silent, 20_000, now)?.problem).toBe('it did not take turn 4 of talk-1 (unanswered)');
  });
});
