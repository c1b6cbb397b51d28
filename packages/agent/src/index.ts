// The host agent's public API: what the CLI and the end-to-end tests build on (docs/AGENT.md,
// Library). Everything else is the agent's own business.
export { copyPath } from './copies/copies.js';
export { enroll, normalizeRelayUrl, type EnrollOptions, type EnrollResult } from './enroll/enroll.js';
export { defaultHostName } from './enroll/host-name.js';
export * from './home/index.js';
export { hostClient } from './home/host-client.js';
export { rotateHostKey, type RotateKeyResult } from './home/rotate-key.js';
export { atomicWriteFile, syncDir, type AtomicWriteOptions } from './fs/atomic-write.js';
export { readOutbox, type OutboxEntry } from './outbox/log.js';
export { processAlive } from './os/process-alive.js';
export { RelayLink, type LinkHandlers, type LinkLogger, type LinkOptions } from './link/link.js';
export { runAgent, type AgentHooks, type RunAgentOptions, type RunningAgent, type StopReason } from './run/agent.js';
export { createLogger, type AgentLogger, type LogDestination } from './run/logger.js';
export { readAgentStatus, type AgentStatusReport, type AgentStatusSnapshot, type LastReceipt } from './run/status.js';
export type { AgentTuning } from './run/tuning.js';
export { installService, serviceStatus, uninstallService, type ServiceInstallResult, type ServiceUninstallResult } from './service/install.js';
export type { ServiceInstallOptions } from './service/plan.js';
export { execaServiceRunner } from './service/runner.js';
export type * from './service/types.js';
export { joinSession, leaveSession, type JoinOptions, type LeaveOptions } from './sessions/join.js';
export { readLocalSessions, sessionForTarget, writeLocalSessions, type LocalSession } from './sessions/local-sessions.js';
export { markWaiting, type WaitMark, type WaitMarker } from './sessions/waiting.js';
export {
  createWaker,
  recordWakeTarget,
  parseTmuxEnv,
  type RecordOptions,
  type TmuxEnv,
  type WakeAdapter,
  type WakeOutcome,
  type Liveness,
} from './terminals/index.js';
