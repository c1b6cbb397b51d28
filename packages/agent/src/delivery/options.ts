// What the wake orchestrator is built with: its view of the replica and the session states, the
// terminal adapter, the journal, where receipts go, and its timings.
import type { Conversation, ReceiptBody, SessionKind, WakeTarget } from '@crosstalk/core';
import type { WakeAdapter, WakeOutcome } from '../terminals/index.js';
import type { WakeJournal } from './journal.js';
import type { WakeRetry } from './outcome.js';
import type { WakeSpec } from './plan.js';
import type { ActivityView } from './policy.js';

export interface WakeView {
  conversation(id: string): Conversation | undefined;
  conversationIds(): Iterable<string>;
  /** Whether the session is registered to this host. */
  isLocal(session: string): boolean;
  target(session: string): WakeTarget | undefined;
  /** The session's coding agent, which decides how its screen is checked before typing. */
  kind(session: string): SessionKind | undefined;
  copyPath(id: string): string;
  /** What the session's hooks say it is doing; `unknown` (with null) for a session without hooks. */
  activity?: ((session: string) => ActivityView) | undefined;
}

/** How a wake-up reached its session: typed into its terminal, or handed to one of its hooks. */
export type Handover = 'typed' | 'hook';

export interface DeliveryLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OrchestratorOptions {
  adapter: WakeAdapter;
  journal: WakeJournal;
  view: WakeView;
  nudgeAfterMs: number;
  maxNudges: number;
  retry?: WakeRetry | undefined;
  sendReceipt(receipt: ReceiptBody): void;
  /**
   * Whether the session's own `crosstalk wait` or `ask` tells it of this turn: a line typed while
   * that command runs would come back as a second prompt once it returns.
   */
  toldByWait?(session: string, conversation: string, turn: number): Promise<boolean>;
  log: DeliveryLogger;
  now?: () => number;
  /** Observer of every attempt (status file, tests). */
  onAttempt?(info: { spec: WakeSpec; attempt: number; line: string | null; outcome: WakeOutcome }): void;
  /**
   * Offers the line to a hook of the session that waits to wake it while idle (Claude Code's
   * asyncRewake); true when one took it. Nothing is typed then.
   */
  offerToHook?(session: string, line: string): boolean;
  /** A wake-up line reached its session. */
  onHandedOver?(session: string, line: string, how: Handover): void;
  /** A held wake-up is looked at on the screen after its busy session was silent this long. */
  recheckMs?: number;
  /** The same for a session at a dialog, which a person may decline without any hook firing. */
  dialogRecheckMs?: number;
  /** A session that goes idle with a delivered turn unanswered is reminded after this. */
  idleGraceMs?: number;
}
