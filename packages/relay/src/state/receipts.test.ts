// A receipt sent again (same host, session, conversation, turn, attempt, status, reason) is found
// among the latest; any difference makes it a receipt of its own.
import { describe, expect, it } from 'vitest';
import type { ReceiptView } from './fold.js';
import { sameReceipt } from './receipts.js';

const logged: ReceiptView = {
  seq: 41,
  at: '2026-12-06T10:00:00.000Z',
  host: 'linux-box',
  session: 'claude-linux',
  conversation: 'plan-a1b2',
  turn: 3,
  status: 'deferred',
  reason: 'busy',
  attempt: 1,
};
const body = { session: 'claude-linux', conversation: 'plan-a1b2', turn: 3, status: 'deferred' as const, reason: 'busy', attempt: 1 };

describe('sameReceipt', () => {
  it('finds the same receipt, the latest first', () => {
    expect(sameReceipt([logged], 'linux-box', body)).toBe(41);
    expect(sameReceipt([logged, { ...logged, seq: 50 }], 'linux-box', body)).toBe(50);
  });

  it('takes any difference for a receipt of its own', () => {
    expect(sameReceipt([], 'linux-box', body)).toBeNull();
    expect(sameReceipt([logged], 'mac-box', body)).toBeNull();
    for (const change of [
      { session: 'codex-linux' },
      { turn: 4 },
      { attempt: 2 },
      { status: 'delivered' as const },
      { reason: 'waiting-input' },
      { reason: undefined },
    ]) {
      expect(sameReceipt([logged], 'linux-box', { ...body, ...change })).toBeNull();
    }
  });
});
