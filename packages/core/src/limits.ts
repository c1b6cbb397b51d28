// Bounds on everything that crosses a trust boundary. One place, so docs and tests agree.
export const LIMITS = {
  /** A turn body, in UTF-8 bytes. */
  bodyBytes: 64 * 1024,
  /** A resolution or decision text, in UTF-8 bytes. */
  resolutionBytes: 4 * 1024,
  /** A conversation topic, in characters. */
  topicChars: 200,
  /** Largest HTTP request body the relay reads. */
  httpBodyBytes: 128 * 1024,
  /** Largest WebSocket message the relay or agent accepts. */
  wsMaxPayload: 256 * 1024,
  /** Participants in one conversation. */
  participants: 32,
  /** Turn limit bounds. */
  defaultMaxTurns: 20,
  maxTurnsCeiling: 1000,
  /** Idempotency key length. */
  idempotencyKeyChars: 128,
  /** Receipt reason text. */
  reasonChars: 200,
  /** A JWT's lifetime may not exceed this many seconds. */
  tokenMaxLifetimeSeconds: 300,
  /** Allowed clock difference when checking token times. */
  clockToleranceSeconds: 30,
} as const;
