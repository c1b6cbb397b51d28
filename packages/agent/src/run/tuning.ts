// The agent's timing knobs, with production defaults; tests shorten them.
import { HEARTBEAT_MS } from '@crosstalk/core';
import { DEFAULT_WAKE_RETRY, type WakeRetry } from '../delivery/outcome.js';

export interface AgentTuning {
  /** The relay's heartbeat; the link is dropped after about two silent ones. */
  heartbeatMs: number;
  backoff: { baseMs: number; capMs: number };
  /** Delay that batches cursor writes. */
  cursorFlushMs: number;
  ackIntervalMs: number;
  statusIntervalMs: number;
  presenceIntervalMs: number;
  /** Without progress this long after asking for a replay, reconnect instead. */
  replayTimeoutMs: number;
  wakeRetry: WakeRetry;
  /** Receipts kept while the link is down; the oldest go first. */
  maxQueuedReceipts: number;
  /** A wake-up held for a busy session is checked on its screen after the session was silent this long. */
  busyRecheckMs: number;
  /** The same for a session at a dialog: declining one ends the turn without a hook. */
  dialogRecheckMs: number;
}

export const DEFAULT_TUNING: AgentTuning = {
  heartbeatMs: HEARTBEAT_MS,
  backoff: { baseMs: 250, capMs: 30_000 },
  cursorFlushMs: 100,
  ackIntervalMs: 250,
  statusIntervalMs: 500,
  presenceIntervalMs: 30_000,
  replayTimeoutMs: 15_000,
  wakeRetry: DEFAULT_WAKE_RETRY,
  maxQueuedReceipts: 1000,
  busyRecheckMs: 60_000,
  dialogRecheckMs: 3_000,
};
