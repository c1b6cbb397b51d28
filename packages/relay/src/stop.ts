// A relay's stop, in the order that loses nothing: stop accepting, close the links (1001), wait
// for the log's last fsync so every waiting answer goes out, write a snapshot if it saves the next
// start enough work, then release the data dir. Runs once, whoever asks first.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { removeListen } from './datadir/datadir.js';
import type { DataDirLock } from './datadir/lock.js';
import type { Ledger } from './state/ledger.js';
import type { Hub } from './ws/hub.js';

export interface StopParts {
  server: Server;
  hub: Hub;
  ledger: Ledger;
  lock: DataDirLock;
  dataDir: string;
  snapshotPath: string;
  epoch: string;
  /** A clean stop writes a snapshot when at least this many events came since the last one. */
  snapshotAtStop: number;
  /** True when the stop is for a compaction, which removes any snapshot: none is written then. */
  skipSnapshot?: () => boolean;
  logger: Logger;
  /** Tells the routes and links the relay is going away. */
  onShuttingDown(): void;
}

export interface Stopper {
  /** Stops; `cause` is the error that forced the stop, null for a requested one. */
  close(cause?: Error | null): Promise<void>;
  /** Resolves once stopped: with the cause, or null. */
  stopped: Promise<Error | null>;
}

export function createStopper(parts: StopParts): Stopper {
  let resolveStopped!: (err: Error | null) => void;
  const stopped = new Promise<Error | null>((r) => (resolveStopped = r));
  let closing: Promise<void> | null = null;
  const close = (cause: Error | null = null): Promise<void> => {
    closing ??= (async () => {
      const { serverClosed } = await stopServing(parts);
      // Nothing changes the state any more: a snapshot now spares the next start folding the log.
      if (cause === null) await snapshotAtStop(parts);
      // Connections still open (a slow reader) get a little longer, then are cut.
      const timer = setTimeout(() => parts.server.closeAllConnections(), 3_000);
      await serverClosed;
      clearTimeout(timer);
      await releaseDataDir(parts);
      resolveStopped(cause);
    })();
    return closing;
  };
  return { close, stopped };
}

/**
 * No new requests or links; the log's queued records written, and the answers waiting for them
 * sent. `serverClosed` settles when the server's last connection is gone.
 */
async function stopServing(parts: StopParts): Promise<{ serverClosed: Promise<void> }> {
  const { server, hub, ledger } = parts;
  parts.onShuttingDown();
  const serverClosed = new Promise<void>((r) => server.close(() => r()));
  server.closeIdleConnections();
  await hub.close();
  await ledger.stopSnapshots();
  // Answers waiting for their fsync go out now; then idle connections can go.
  await ledger.events.close();
  server.closeIdleConnections();
  return { serverClosed };
}

async function snapshotAtStop(parts: StopParts): Promise<void> {
  const { ledger, logger } = parts;
  if (ledger.sinceSnapshot < parts.snapshotAtStop || parts.skipSnapshot?.()) return;
  const t = performance.now();
  try {
    const written = await ledger.writeSnapshot(parts.snapshotPath, parts.epoch);
    if (written) logger.info({ seq: written.seq, bytes: written.bytes, ms: Math.round(performance.now() - t) }, 'snapshot written at stop');
  } catch (err) {
    // The snapshot only spares work; the stop goes on.
    logger.warn({ err }, 'could not write a snapshot; the next start folds the whole log');
  }
}

async function releaseDataDir(parts: StopParts): Promise<void> {
  const { logger } = parts;
  await removeListen(parts.dataDir, process.pid).catch((err: unknown) => {
    // A stale listen.json names a pid that is gone; local commands see that. The lock must still go.
    logger.warn({ err }, 'could not remove listen.json');
  });
  await parts.lock.release();
  logger.info('relay stopped');
}
