// Waking sessions in their terminals (SPEC §6) and recording where a session's terminal is.
export { createWaker } from './waker.js';
export { DEFAULT_WAKE_TIMEOUTS } from './types.js';
export type { Liveness, WakeAdapter, WakeOptions, WakeOutcome } from './types.js';
export { parseTmuxEnv, recordWakeTarget, type RecordOptions, type TmuxEnv } from './record-target.js';
