// Compacting a running relay: the relay stops as it does for SIGTERM (links closed with 1001, the
// log flushed, the data dir released), the log is compacted as `crosstalk relay compact` does it,
// and a new relay starts on the same port from the new log, so whatever the relay keeps in memory
// is built again from it. Asked for by the admin (`POST /v1/admin/compact`) or by the schedule
// (`compactEveryMs`); either way only when deleted conversations left content in the log. The
// RunningRelay handed out stays the same across these restarts.
import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import { resolveOptions, type RelayOptions } from './options.js';
import type { RunningRelay } from './relay.js';
import { compactLog, type CompactResult } from './store/compact.js';

export interface CompactionReport {
  at: string;
  result: CompactResult | null;
  /** Why the compaction failed (the relay then started again on its old log). */
  error: string | null;
}

/** What one relay instance and the supervisor share. */
export interface MaintenanceLink {
  /** Set by the instance: deleted conversations whose content its log still holds. */
  pendingPurge: () => number;
  /** Asks for a compaction after the current request is answered; false when one is under way. */
  requestCompaction(): boolean;
  /** The last compaction this relay process made, and whether one is under way. */
  status(): { running: boolean; last: CompactionReport | null };
  /** True while the relay stops to compact (its stop writes no snapshot: compaction removes it). */
  stoppingToCompact: boolean;
}

export type StartInstance = (options: RelayOptions, link: MaintenanceLink) => Promise<RunningRelay>;

/** Lets the answer that asked for a compaction leave before the relay stops. */
const ANSWER_GRACE_MS = 100;

export async function superviseRelay(options: RelayOptions, startInstance: StartInstance): Promise<RunningRelay> {
  const opts = resolveOptions(options);
  const logger: Logger = createLogger(opts.logLevel, opts.logDestination);
  let last: CompactionReport | null = null;
  let cycling: Promise<void> | null = null;
  let closing: Promise<void> | null = null;
  let resolveStopped!: (err: Error | null) => void;
  const stopped = new Promise<Error | null>((r) => (resolveStopped = r));

  const link: MaintenanceLink = {
    pendingPurge: () => 0,
    requestCompaction: () => {
      if (cycling || closing) return false;
      cycling = new Promise<void>((resolve) => setTimeout(resolve, ANSWER_GRACE_MS)).then(cycle).finally(() => (cycling = null));
      return true;
    },
    status: () => ({ running: cycling !== null, last }),
    stoppingToCompact: false,
  };

  let current = await startInstance(options, link);
  const port = current.port;
  const follow = (instance: RunningRelay) =>
    void instance.stopped.then((err) => {
      // An instance stopped by the cycle comes back; one stopped by its own failure does not.
      if (err) resolveStopped(err);
    });
  follow(current);

  async function cycle(): Promise<void> {
    if (closing) return;
    logger.info('stopping to compact the log');
    link.stoppingToCompact = true;
    try {
      await current.close();
    } finally {
      link.stoppingToCompact = false;
    }
    const started = new Date().toISOString();
    try {
      const result = await compactLog(opts.dataDir);
      last = { at: started, result, error: null };
      logger.info(result, 'log compacted');
    } catch (err) {
      last = { at: started, result: null, error: (err as Error).message };
      logger.error({ err }, 'compaction failed; starting again on the old log');
    }
    try {
      current = await startInstance({ ...options, port }, link);
      follow(current);
    } catch (err) {
      logger.fatal({ err }, 'could not start again after compaction');
      resolveStopped(err as Error);
    }
  }

  const timer = opts.compactEveryMs
    ? setInterval(() => {
        if (link.pendingPurge() > 0) link.requestCompaction();
      }, opts.compactEveryMs)
    : null;
  timer?.unref();

  return {
    get url() {
      return current.url;
    },
    get port() {
      return current.port;
    },
    get relayId() {
      return current.relayId;
    },
    get epoch() {
      return current.epoch;
    },
    close() {
      closing ??= (async () => {
        if (timer) clearInterval(timer);
        await cycling;
        await current.close();
        resolveStopped(null);
      })();
      return closing;
    },
    stopped,
  };
}
