// Pacing the fan-out: links that follow the head share a frame budget, so under a burst the
// events of several commits share one frame and one socket write, and the cost of fan-out stays
// bounded however many links there are.

export interface LinkTimings {
  helloTimeoutMs: number;
  /** A peer whose send buffer stays full this long is closed (4006). */
  stuckMs: number;
  /** Above this many buffered bytes the send loop waits for the socket to drain. */
  highWaterBytes: number;
  /**
   * Frames per second all links that follow the head may send together. Each link waits
   * links/budget between frames (within the bounds below): under a burst the events of several
   * commits share one frame and one write to the socket, so the cost of fan-out stays bounded
   * however many links there are, while the first event after a quiet spell goes out at once.
   * Catching up on a backlog is not paced.
   */
  frameBudgetPerSecond: number;
}

/** Bounds of the pause between two frames of a link that follows the head. */
export const FRAME_INTERVAL_MS = { min: 2, max: 50 } as const;

/** The pause between frames of each link when `links` links share the frame budget. */
export function frameInterval(links: number, budgetPerSecond: number): number {
  return Math.min(FRAME_INTERVAL_MS.max, Math.max(FRAME_INTERVAL_MS.min, (links * 1000) / budgetPerSecond));
}

/** How long a link waits before its next frame: none after a quiet spell or while catching up. */
export function framePause(lastLiveSendAt: number, now: number, intervalMs: number): number {
  return Math.max(0, lastLiveSendAt + intervalMs - now);
}
