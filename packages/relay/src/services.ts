// What the HTTP routes and the WebSocket links share: one relay's state and its helpers.
import type { Logger } from 'pino';
import type { KeyRing } from './auth/keys.js';
import type { Verifier } from './auth/verify.js';
import type { HostQuotas } from './limits/quotas.js';
import type { RateLimiter } from './limits/token-bucket.js';
import type { HostActivity } from './state/activity.js';
import type { MaintenanceLink } from './maintenance.js';
import type { Ledger } from './state/ledger.js';
import type { PeekBroker } from './ws/peeks.js';

export interface Services {
  relayId: string;
  epoch: string;
  version: string;
  ledger: Ledger;
  activity: HostActivity;
  verify: Verifier;
  /** The keys tokens are verified with; key rotations change them. */
  keys: KeyRing;
  /** How long a rotated-out key is still accepted, in ms. */
  keyOverlapMs: number;
  /** The data dir, where the admin key lives. */
  dataDir: string;
  /** Per host (or `admin`): HTTP requests. */
  httpLimiter: RateLimiter;
  /** Per host: open conversations and bytes of turns. */
  quotas: HostQuotas;
  /** Per remote address: enrollment attempts. */
  enrollLimiter: RateLimiter;
  logger: Logger;
  /** Compaction of the running relay (a short restart), and its last outcome. */
  maintenance: Pick<MaintenanceLink, 'requestCompaction' | 'status'>;
  /** Remote peeks waiting for the session's host agent (ws/peeks.ts). */
  peeks: PeekBroker;
  /** Milliseconds since the epoch. */
  now(): number;
  isShuttingDown(): boolean;
}

/** The last time stamp made, by its millisecond: several posts a millisecond share one string. */
let lastMs = Number.NaN;
let lastIso = '';

export function isoNow(services: Pick<Services, 'now'>): string {
  const ms = services.now();
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
