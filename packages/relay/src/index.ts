// The relay: durable event log, HTTP API, signed WebSocket fan-out. See docs/PROTOCOL.md.
export { startRelay, type RunningRelay } from './relay.js';
export type { RelayOptions } from './options.js';
export type { RateConfig } from './limits/token-bucket.js';
export { DATA_FILES, initDataDir, readAdminKey, readRelayInfo, type RelayIdentity, type RelayInfo } from './datadir/datadir.js';
export { repairLog, type RepairResult } from './store/repair.js';
export { COMPACT_TEMP, compactLog, type CompactOptions, type CompactResult, type CompactStep } from './store/compact.js';
