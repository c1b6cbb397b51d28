// Waking sessions in their terminals (SPEC §6) and recording where a session's terminal is.
export { createWaker, resolveTimeouts, type WakerOptions } from './waker.js';
export {
  DEFAULT_WAKE_TIMEOUTS,
  type DeferReason,
  type FailReason,
  type Liveness,
  type WakeAdapter,
  type WakeLogger,
  type WakeOptions,
  type WakeOutcome,
  type WakeTimeouts,
} from './types.js';
export { recordConsoleTarget, recordTmuxTarget, recordWakeTarget, parseTmuxEnv, type RecordOptions, type TmuxEnv } from './record-target.js';
export { readParentChain, readProcessTable, readProcessTree, type ProcessReadOptions } from './processes/read.js';
export type { ProcessEntry } from './processes/names.js';
export { textRecords, enterRecords } from './windows-console/records.js';
