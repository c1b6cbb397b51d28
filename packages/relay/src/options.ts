// startRelay's options, defaulted and validated once.
import { resolve } from 'node:path';
import { CrosstalkError, DEFAULT_PORT, HEARTBEAT_MS, isLogLevel, LOG_LEVELS, type LogLevel } from '@crosstalk/core';
import { DEFAULT_QUOTAS, type QuotaConfig } from './limits/quotas.js';
import type { RateConfig } from './limits/token-bucket.js';
import { normalizeOrigin } from './ws/upgrade.js';

export interface RelayOptions {
  dataDir: string;
  /** Interface to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** Default 7717; 0 picks a free port. */
  port?: number;
  /** Web origins allowed to open WebSocket links (none by default). */
  allowedOrigins?: string[];
  /** Per-host token bucket for HTTP requests and link messages; `false` disables every limit. */
  rateLimit?: RateConfig | false;
  /**
   * Per-host quotas (docs/RELAY.md): open conversations, bytes of turns per hour, bytes of turns
   * stored; each defaults to DEFAULT_QUOTAS (200, 32 MiB, 256 MiB). `false` disables them.
   */
  quotas?: Partial<QuotaConfig> | false;
  /** A clean stop writes a snapshot of the state when at least this many events came since the last one (default 1000). */
  snapshotAtStop?: number;
  /** While serving, a snapshot is built beside the relay each time this many events came since the last one (default 100,000). */
  snapshotEvery?: number;
  /** Delete conversations closed more than this many days ago, checked every `retentionCheckMs` (default: keep them). */
  retainClosedDays?: number;
  /** How often retention looks (default one hour). */
  retentionCheckMs?: number;
  /** Compact the log (a short restart) this often when deleted conversations left content in it (default: never by itself). */
  compactEveryMs?: number;
  /** The relay's clock for event times and retention, in ms since 1970 (default Date.now; tests move it). */
  clock?: () => number;
  heartbeatMs?: number;
  /** How long a new link may take to send its hello (default 10 s). */
  helloTimeoutMs?: number;
  /** How long a link's reader may leave a full send buffer undrained before it is cut off (default 30 s). */
  stuckMs?: number;
  /** After a key rotation (host or admin), how long the replaced key is still accepted (default 5 min). */
  keyOverlapMs?: number;
  logLevel?: string;
  logDestination?: NodeJS.WritableStream;
}

export interface ResolvedOptions {
  dataDir: string;
  host: string;
  port: number;
  allowedOrigins: string[];
  rateLimit: RateConfig | false;
  quotas: QuotaConfig | false;
  /** Enrollment attempts per remote address. */
  enrollRateLimit: RateConfig | false;
  heartbeatMs: number;
  helloTimeoutMs: number;
  stuckMs: number;
  highWaterBytes: number;
  frameBudgetPerSecond: number;
  snapshotAtStop: number;
  snapshotEvery: number;
  keyOverlapMs: number;
  retention: { closedDays: number; everyMs: number } | null;
  compactEveryMs: number | null;
  clock: () => number;
  logLevel: LogLevel;
  logDestination: NodeJS.WritableStream | undefined;
}

const DEFAULT_RATE_LIMIT: RateConfig = { perSecond: 100, burst: 400 };
export const DEFAULT_KEY_OVERLAP_MS = 5 * 60_000;
const ENROLL_RATE_LIMIT: RateConfig = { perSecond: 0.2, burst: 10 };

function bad(message: string): CrosstalkError {
  return new CrosstalkError('CONFIG_INVALID', `relay option ${message}`, { hint: 'fix the option passed to the relay' });
}

export function resolveOptions(options: RelayOptions): ResolvedOptions {
  if (typeof options.dataDir !== 'string' || options.dataDir.trim() === '') throw bad('dataDir must name a directory');
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '' || host.length > 255 || /[\s/]/.test(host)) throw bad(`host ${JSON.stringify(host)} is not an address`);
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw bad(`port ${String(port)} is not a port number`);
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  if (!Number.isFinite(heartbeatMs) || heartbeatMs < 10 || heartbeatMs > 3_600_000) throw bad('heartbeatMs must be from 10 to 3600000');
  const helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
  if (!Number.isFinite(helloTimeoutMs) || helloTimeoutMs < 10 || helloTimeoutMs > 600_000) throw bad('helloTimeoutMs must be from 10 to 600000');
  const stuckMs = options.stuckMs ?? 30_000;
  if (!Number.isFinite(stuckMs) || stuckMs < 10 || stuckMs > 3_600_000) throw bad('stuckMs must be from 10 to 3600000');
  const logLevel = options.logLevel ?? 'info';
  if (!isLogLevel(logLevel)) throw bad(`logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (rateLimit !== false) {
    const { perSecond, burst } = rateLimit;
    if (!(perSecond > 0) || !Number.isFinite(perSecond) || !(burst >= 1) || !Number.isFinite(burst)) throw bad('rateLimit needs perSecond > 0 and burst >= 1');
  }
  let quotas: QuotaConfig | false = false;
  if (options.quotas !== false) {
    quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
    for (const [key, value] of Object.entries(quotas)) {
      if (!Number.isSafeInteger(value) || value < 1) throw bad(`quotas.${key} must be a whole number, at least 1`);
    }
  }
  const snapshotAtStop = options.snapshotAtStop ?? 1000;
  if (!Number.isSafeInteger(snapshotAtStop) || snapshotAtStop < 1) throw bad('snapshotAtStop must be a whole number of events, at least 1');
  const snapshotEvery = options.snapshotEvery ?? 100_000;
  if (!Number.isSafeInteger(snapshotEvery) || snapshotEvery < 1) throw bad('snapshotEvery must be a whole number of events, at least 1');
  const keyOverlapMs = options.keyOverlapMs ?? DEFAULT_KEY_OVERLAP_MS;
  if (!Number.isSafeInteger(keyOverlapMs) || keyOverlapMs < 0 || keyOverlapMs > 86_400_000) throw bad('keyOverlapMs must be from 0 to 86400000');
  let retention: ResolvedOptions['retention'] = null;
  if (options.retainClosedDays !== undefined) {
    const closedDays = options.retainClosedDays;
    if (!Number.isFinite(closedDays) || closedDays <= 0 || closedDays > 36_500) throw bad('retainClosedDays must be a number of days above 0');
    const everyMs = options.retentionCheckMs ?? 3_600_000;
    if (!Number.isSafeInteger(everyMs) || everyMs < 10) throw bad('retentionCheckMs must be a whole number of milliseconds, at least 10');
    retention = { closedDays, everyMs };
  }
  const compactEveryMs = options.compactEveryMs ?? null;
  if (compactEveryMs !== null && (!Number.isSafeInteger(compactEveryMs) || compactEveryMs < 10))
    throw bad('compactEveryMs must be a whole number of milliseconds, at least 10');
  const allowedOrigins = (options.allowedOrigins ?? []).map((o) => {
    if (typeof o !== 'string' || !/^https?:\/\/[^\s/]+\/?$/i.test(o.trim()))
      throw bad(`allowedOrigins entry ${JSON.stringify(o)} is not an origin like https://host:port`);
    return normalizeOrigin(o);
  });
  return {
    dataDir: resolve(options.dataDir),
    host,
    port,
    allowedOrigins,
    rateLimit,
    quotas,
    enrollRateLimit: rateLimit === false ? false : ENROLL_RATE_LIMIT,
    heartbeatMs,
    helloTimeoutMs,
    stuckMs,
    highWaterBytes: 1024 * 1024,
    frameBudgetPerSecond: 10_000,
    snapshotAtStop,
    snapshotEvery,
    keyOverlapMs,
    retention,
    compactEveryMs,
    clock: options.clock ?? Date.now,
    logLevel,
    logDestination: options.logDestination,
  };
}
