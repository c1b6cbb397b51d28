// What an attempt's outcome means for its wake-up: the receipt that reports it, and what comes
// next (wait for the answer and remind, try again after a backoff, or nothing more). Decided
// here without I/O; the orchestrator sends the receipt and writes the journal.
import type { ReceiptBody } from '@crosstalk/core';
import type { WakeOutcome } from '../terminals/index.js';
import type { WakeEntry } from './journal.js';

export interface WakeRetry {
  /** First delay after a deferral; doubles each time up to `capMs`. */
  baseMs: number;
  capMs: number;
  /** Deferrals of one attempt before giving up with `gave-up`. */
  maxDeferrals: number;
}

export const DEFAULT_WAKE_RETRY: WakeRetry = { baseMs: 1000, capMs: 30_000, maxDeferrals: 10 };

export interface ReceiptNote {
  status: ReceiptBody['status'];
  reason?: string;
}

const RECEIPT_REASON_MAX = 200;

/** `reason` or `reason: detail`, as the receipt schema allows (printable ASCII detail, bounded). */
function receiptReason(reason: string, detail?: string): string {
  if (!detail) return reason;
  const clean = detail
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return reason;
  return `${reason}: ${clean}`.slice(0, RECEIPT_REASON_MAX);
}

/** Delivered: a turn's wake-up now waits for the answer (and reminds); a notice is done. */
export function settleDelivered(entry: WakeEntry, now: number, nudgeAfterMs: number): void {
  if (entry.kind === 'unanswered') {
    entry.phase = 'done';
  } else {
    entry.phase = 'waiting';
    entry.dueAt = now + nudgeAfterMs;
  }
}

/** Moves the entry on after an attempt; the receipt to send for it. */
export function settleOutcome(entry: WakeEntry, outcome: WakeOutcome, now: number, policy: { retry: WakeRetry; nudgeAfterMs: number }): ReceiptNote {
  switch (outcome.status) {
    case 'delivered':
      settleDelivered(entry, now, policy.nudgeAfterMs);
      return outcome.via === 'hook' ? { status: 'delivered', reason: 'hook' } : { status: 'delivered' };
    case 'deferred':
      return settleDeferred(entry, outcome, now, policy.retry);
    case 'failed':
      entry.phase = 'done';
      entry.failed = true;
      return { status: 'failed', reason: receiptReason(outcome.reason, outcome.detail) };
  }
}

/** Deferred: tried again after a doubling delay, until the deferrals run out and it gives up. */
function settleDeferred(entry: WakeEntry, outcome: Extract<WakeOutcome, { status: 'deferred' }>, now: number, retry: WakeRetry): ReceiptNote {
  entry.deferrals++;
  if (entry.deferrals >= retry.maxDeferrals) {
    entry.phase = 'done';
    entry.failed = true;
    return { status: 'failed', reason: receiptReason('gave-up', `deferred ${entry.deferrals} times, last: ${outcome.reason}`) };
  }
  entry.phase = 'due';
  entry.dueAt = now + Math.min(retry.capMs, retry.baseMs * 2 ** (entry.deferrals - 1));
  return { status: 'deferred', reason: receiptReason(outcome.reason, outcome.detail) };
}
