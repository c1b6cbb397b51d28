// What a wake-up attempt reports, and the small interface the agent's event loop calls.
import type { SessionKind, WakeTarget } from '@crosstalk/core';

export const DEFER_REASONS = ['copy-mode', 'user-typing', 'busy', 'waiting-input', 'draft', 'screen-unknown'] as const;
export const FAIL_REASONS = ['pane-gone', 'pane-dead', 'bare-shell', 'process-gone', 'not-submitted', 'no-wake-target', 'wake-error'] as const;
export type DeferReason = (typeof DEFER_REASONS)[number];
export type FailReason = (typeof FAIL_REASONS)[number];

/** Reason codes are those of `RECEIPT_REASONS` in core's protocol.ts. */
export type WakeOutcome =
  | { status: 'delivered'; via?: 'hook' }
  | { status: 'deferred'; reason: DeferReason; detail?: string }
  | { status: 'failed'; reason: FailReason; detail?: string };

export type Liveness = 'alive' | 'gone';

export interface WakeOptions {
  /**
   * Settles before anything is typed: the adapter checks the terminal meanwhile and types only
   * once it resolved. If it rejects, nothing is typed and the outcome is `wake-error`.
   */
  beforeTyping?: Promise<unknown> | undefined;
  /**
   * The session's coding agent. For the kinds whose screens crosstalk knows (`claude-code`,
   * `codex`) the screen is read first and the line is typed only into an empty prompt.
   */
  kind?: SessionKind | undefined;
  /**
   * Called once every check passed, in place of typing: true when the line reached the session
   * another way (a hook of its coding agent waiting to wake it), and the outcome says `via: 'hook'`.
   * So a person's draft or a dialog holds a wake-up whichever way it would go.
   */
  handOver?: (() => boolean) | undefined;
}

/** An adapter for one kind of target; `WakeAdapter` takes any target and picks the adapter. */
export interface TargetAdapter<T extends WakeTarget> {
  /** Types `line` (sanitised again here) into the target's terminal and presses Enter. Never throws. */
  wake(target: T, line: string, options?: WakeOptions): Promise<WakeOutcome>;
  /** Whether the session's terminal and coding agent still exist. Never throws. */
  probe(target: T): Promise<Liveness>;
}

export type WakeAdapter = TargetAdapter<WakeTarget>;

/** What every terminal adapter is made with. */
export interface AdapterBase {
  timeouts: WakeTimeouts;
  logger?: WakeLogger | undefined;
}

/** The subset of a pino logger the wakers use. */
export interface WakeLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface WakeTimeouts {
  /** Limit for each tmux call. */
  commandMs: number;
  /** Pause between typing the text and pressing Enter for a coding agent of no measured kind (at least 300 ms). */
  settleMs: number;
  /** The same pause for the coding agents whose pause was measured (docs/WAKE.md, "The pause before Enter"). */
  settleMsByKind: SettleByKind;
  /** How long to watch the pane for the line to be submitted after each Enter. */
  submitMs: number;
  /** A client that sent input this recently means someone is typing: defer. */
  userIdleMs: number;
  /** Limit for the whole Windows console helper process. */
  helperMs: number;
}

/** The kinds with a measured pause; every other kind gets `settleMs`. */
export type SettleByKind = { 'claude-code': number; codex: number };

/** The measured pauses: at least twice the shortest one that was submitted 100 times in 100 under load. */
export const MEASURED_SETTLE_MS: SettleByKind = { 'claude-code': 25, codex: 25 };

/** The pause before Enter for a session of this kind. */
export function settleFor(timeouts: Pick<WakeTimeouts, 'settleMs' | 'settleMsByKind'>, kind: SessionKind | undefined): number {
  return kind === 'claude-code' || kind === 'codex' ? timeouts.settleMsByKind[kind] : timeouts.settleMs;
}

export const DEFAULT_WAKE_TIMEOUTS: WakeTimeouts = {
  commandMs: 5_000,
  settleMs: 300,
  settleMsByKind: MEASURED_SETTLE_MS,
  submitMs: 1_500,
  userIdleMs: 2_000,
  helperMs: 15_000,
};

export const delivered = (): WakeOutcome => ({ status: 'delivered' });

export function deferred(reason: DeferReason, detail?: string): WakeOutcome {
  return detail === undefined ? { status: 'deferred', reason } : { status: 'deferred', reason, detail };
}

export function failed(reason: FailReason, detail?: string): WakeOutcome {
  return detail === undefined ? { status: 'failed', reason } : { status: 'failed', reason, detail };
}

/** Bounds a detail string taken from a subprocess, so a receipt or log line stays small. */
export function clip(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
