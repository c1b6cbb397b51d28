// The host agent's public API, used by the CLI and by tests.
export * from './client/index.js';
export * from './copies/index.js';
export * from './enroll/index.js';
export * from './home/index.js';
export { atomicWriteFile, syncDir, type AtomicWriteOptions } from './fs/atomic-write.js';
export * from './link/index.js';
export * from './run/index.js';
export * from './service/index.js';
export * from './sessions/index.js';
export * from './state/index.js';
export * from './delivery/index.js';
export { createWaker, recordWakeTarget, recordTmuxTarget, recordConsoleTarget, parseTmuxEnv, type RecordOptions, type TmuxEnv, type WakeAdapter, type WakeOutcome, type Liveness } from './terminals/index.js';
