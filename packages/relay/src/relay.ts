// Starting and stopping one relay: data dir and lock, log replay into state, the HTTP API and
// the WebSocket links on one server, and a clean stop that flushes the log.
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { audienceFor } from '@crosstalk/core/token';
import { getRequestListener } from '@hono/node-server';
import { KeyRing } from './auth/keys.js';
import { ReplayCache } from './auth/replay-cache.js';
import { createVerifier } from './auth/verify.js';
import { dataPath, initDataDir, publicPart, readAdminKey, removeListen, writeListen } from './datadir/datadir.js';
import { acquireLock, type DataDirLock } from './datadir/lock.js';
import { createApp } from './http/app.js';
import { listen } from './listen.js';
import { RateLimiter } from './limits/token-bucket.js';
import { createLogger } from './logger.js';
import { resolveOptions, type RelayOptions } from './options.js';
import type { Services } from './services.js';
import { HostActivity } from './state/activity.js';
import { Ledger } from './state/ledger.js';
import { readVersion } from './version.js';
import { Hub } from './ws/hub.js';

export interface RunningRelay {
  url: string;
  port: number;
  relayId: string;
  epoch: string;
  /** Stops accepting, closes links (1001), flushes the log, releases the data dir. */
  close(): Promise<void>;
  /** Resolves once the relay has stopped: with the error that stopped it, or null after close(). */
  stopped: Promise<Error | null>;
}

/** Accepted token ids remembered at most; beyond this new tokens are refused until some expire. */
const REPLAY_CACHE_ENTRIES = 2_000_000;

function urlFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const opts = resolveOptions(options);
  const logger = createLogger(opts.logLevel, opts.logDestination);
  // Lock first: nothing in the data dir is touched while another relay may be using it.
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = await acquireLock(opts.dataDir);
  // What to undo, newest first, if starting fails half-way.
  const undo: Array<() => unknown> = [() => lock.release()];
  try {
    const identity = await initDataDir(opts.dataDir);
    const dataDir = identity.dataDir;
    const adminKey = await readAdminKey(dataDir);
    let onFatal: (err: Error) => void = () => {};
    const started = performance.now();
    const snapshotPath = dataPath(dataDir, 'snapshot');
    const { ledger, tornBytes, records, snapshot } = await Ledger.open(dataPath(dataDir, 'log'), {
      onFatal: (err) => onFatal(err),
      snapshot: { path: snapshotPath, epoch: identity.epoch },
    });
    undo.push(() => ledger.events.close());
    if (tornBytes > 0) logger.warn({ bytes: tornBytes }, 'dropped an incomplete last record (a write the relay never acknowledged)');
    if (snapshot && 'ignored' in snapshot) logger.warn({ reason: snapshot.ignored }, 'snapshot ignored; the whole log was folded');
    const fromSnapshot = snapshot && 'seq' in snapshot ? snapshot.seq : 0;
    logger.info({ records, fromSnapshot, folded: records - fromSnapshot, ms: Math.round(performance.now() - started) }, 'event log replayed');
    ledger.scheduleSnapshots({
      path: snapshotPath,
      epoch: identity.epoch,
      every: opts.snapshotEvery,
      onWritten: (info) => logger.info(info, 'snapshot written'),
      onFailed: (reason) => logger.warn({ reason }, 'could not write a snapshot; the next start folds more of the log'),
    });

    let shuttingDown = false;
    const services: Services = {
      relayId: identity.relayId,
      epoch: identity.epoch,
      version: readVersion(),
      ledger,
      activity: new HostActivity(),
      verify: createVerifier({
        audience: audienceFor(identity.relayId),
        keys: new KeyRing(ledger.state.hosts, publicPart(adminKey)),
        replays: new ReplayCache(REPLAY_CACHE_ENTRIES, 30),
      }),
      httpLimiter: new RateLimiter(opts.rateLimit),
      enrollLimiter: new RateLimiter(opts.enrollRateLimit),
      logger,
      now: Date.now,
      isShuttingDown: () => shuttingDown,
    };
    const hub = new Hub(services, {
      heartbeatMs: opts.heartbeatMs,
      helloTimeoutMs: opts.helloTimeoutMs,
      stuckMs: opts.stuckMs,
      highWaterBytes: opts.highWaterBytes,
      frameBudgetPerSecond: opts.frameBudgetPerSecond,
      allowedOrigins: opts.allowedOrigins,
      wsLimiter: new RateLimiter(opts.rateLimit),
    });
    undo.push(() => hub.close());
    // Timeouts against slow clients: headers within 10 s, a whole request within 30 s.
    const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 }, getRequestListener(createApp(services).fetch));
    server.on('upgrade', (req, socket, head) => void hub.handleUpgrade(req, socket, head));
    const port = await listen(server, opts.port, opts.host);
    undo.push(() => server.close());
    const url = urlFor(opts.host, port);
    await writeListen(dataDir, { url, pid: process.pid });
    logger.info({ url, relayId: identity.relayId, epoch: identity.epoch, dataDir }, 'relay listening');

    let resolveStopped!: (err: Error | null) => void;
    const stopped = new Promise<Error | null>((r) => (resolveStopped = r));
    let closing: Promise<void> | null = null;
    const close = (cause: Error | null = null): Promise<void> => {
      closing ??= (async () => {
        shuttingDown = true;
        const serverClosed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        await hub.close();
        await ledger.stopSnapshots();
        // Answers waiting for their fsync go out now; then idle connections can go.
        await ledger.events.close();
        server.closeIdleConnections();
        // Nothing changes the state any more: a snapshot now spares the next start folding the log.
        if (cause === null && ledger.sinceSnapshot >= opts.snapshotAtStop) {
          const t = performance.now();
          await ledger.writeSnapshot(snapshotPath, identity.epoch).then(
            (written) => written && logger.info({ seq: written.seq, bytes: written.bytes, ms: Math.round(performance.now() - t) }, 'snapshot written at stop'),
            (err: unknown) => logger.warn({ err }, 'could not write a snapshot; the next start folds the whole log'),
          );
        }
        const timer = setTimeout(() => server.closeAllConnections(), 3_000);
        await serverClosed;
        clearTimeout(timer);
        await removeListen(dataDir, process.pid).catch(() => {});
        await lock.release();
        logger.info('relay stopped');
        resolveStopped(cause);
      })();
      return closing;
    };
    onFatal = (err) => {
      logger.fatal({ err }, 'the event log cannot be written; stopping');
      void close(err);
    };
    return { url, port, relayId: identity.relayId, epoch: identity.epoch, close: () => close(), stopped };
  } catch (err) {
    for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => {});
    throw err;
  }
}
