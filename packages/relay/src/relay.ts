// Starting one relay: data dir and lock, log replay into state, the HTTP API and the WebSocket
// links on one server. Stopping it is stop.ts; what a half-done start took is given back.
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { audienceFor } from '@crosstalk/core/token';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import { KeyRing } from './auth/keys.js';
import { ReplayCache } from './auth/replay-cache.js';
import { createVerifier } from './auth/verify.js';
import { type AdminKeyFile, dataPath, initDataDir, publicPart, readAdminKeyFile, writeListen } from './datadir/datadir.js';
import { acquireLock } from './datadir/lock.js';
import { createApp } from './http/app.js';
import { RateLimiter } from './limits/token-bucket.js';
import { listen } from './listen.js';
import { superviseRelay, type MaintenanceLink } from './maintenance.js';
import { createLogger } from './logger.js';
import { resolveOptions, type RelayOptions, type ResolvedOptions } from './options.js';
import type { Services } from './services.js';
import { HostQuotas } from './limits/quotas.js';
import { HostActivity } from './state/activity.js';
import { Ledger } from './state/ledger.js';
import { startRetention } from './state/retention.js';
import { createStopper } from './stop.js';
import { readVersion } from './version.js';
import { Hub } from './ws/hub.js';
import { PeekBroker } from './ws/peeks.js';

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

interface Identity {
  dataDir: string;
  relayId: string;
  epoch: string;
}

function urlFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Starts a relay; it restarts itself in place to compact its log (maintenance.ts). */
export function startRelay(options: RelayOptions): Promise<RunningRelay> {
  return superviseRelay(options, startInstance);
}

async function startInstance(options: RelayOptions, maintenance: MaintenanceLink): Promise<RunningRelay> {
  const opts = resolveOptions(options);
  const logger = createLogger(opts.logLevel, opts.logDestination);
  // Lock first: nothing in the data dir is touched while another relay may be using it.
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(opts.dataDir);
  // What to undo, newest first, if starting fails half-way.
  const undo: Array<() => unknown> = [() => lock.release()];
  try {
    const identity = await initDataDir(opts.dataDir);
    if (identity.migration) logger.warn({ ...identity.migration }, 'data dir migrated to a newer format; the files it rewrote were copied to the backup first');
    const adminKey = await readAdminKeyFile(identity.dataDir);
    let onFatal: (err: Error) => void = () => {};
    const ledger = await openLedger(identity, opts, logger, (err) => onFatal(err));
    undo.push(() => ledger.events.close());
    let shuttingDown = false;
    const services = createServices(identity, ledger, adminKey, opts, logger, () => shuttingDown, maintenance);
    maintenance.pendingPurge = () => ledger.purgePending;
    const hub = new Hub(services, { ...hubTimings(opts), wsLimiter: new RateLimiter(opts.rateLimit) });
    undo.push(() => hub.close());
    const server = createHttpServer(services, hub);
    const port = await listen(server, opts.port, opts.host);
    undo.push(() => server.close());
    const url = urlFor(opts.host, port);
    await writeListen(identity.dataDir, { url, pid: process.pid });
    logger.info({ url, relayId: identity.relayId, epoch: identity.epoch, dataDir: identity.dataDir }, 'relay listening');
    const stopper = createStopper({
      server,
      hub,
      ledger,
      lock,
      logger,
      dataDir: identity.dataDir,
      snapshotPath: dataPath(identity.dataDir, 'snapshot'),
      epoch: identity.epoch,
      snapshotAtStop: opts.snapshotAtStop,
      skipSnapshot: () => maintenance.stoppingToCompact,
      onShuttingDown: () => (shuttingDown = true),
    });
    if (opts.retention) {
      const retention = startRetention(services, opts.retention, logger);
      void stopper.stopped.then(() => retention.stop());
    }
    onFatal = (err) => {
      logger.fatal({ err }, 'the event log cannot be written; stopping');
      void stopper.close(err);
    };
    return { url, port, relayId: identity.relayId, epoch: identity.epoch, close: () => stopper.close(), stopped: stopper.stopped };
  } catch (err) {
    await undoStart(undo, logger);
    throw err;
  }
}

/** Gives back what a failed start took, newest first; the start's own error is the one reported. */
async function undoStart(undo: Array<() => unknown>, logger: Logger): Promise<void> {
  for (const step of undo.reverse()) {
    await Promise.resolve()
      .then(step)
      .catch((err: unknown) => logger.warn({ err }, 'could not undo a step of a failed start'));
  }
}

/** Replays the log (from a snapshot when one holds) and schedules snapshots while serving. */
async function openLedger(identity: Identity, opts: ResolvedOptions, logger: Logger, onFatal: (err: Error) => void): Promise<Ledger> {
  const started = performance.now();
  const snapshotPath = dataPath(identity.dataDir, 'snapshot');
  const { ledger, tornBytes, records, snapshot } = await Ledger.open(dataPath(identity.dataDir, 'log'), {
    onFatal,
    snapshot: { path: snapshotPath, epoch: identity.epoch },
  });
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
  return ledger;
}

function createServices(
  identity: Identity,
  ledger: Ledger,
  adminKey: AdminKeyFile,
  opts: ResolvedOptions,
  logger: Logger,
  isShuttingDown: () => boolean,
  maintenance: MaintenanceLink,
): Services {
  const quotas = new HostQuotas(opts.quotas, opts.clock);
  const { conversations, usage } = ledger.folded;
  quotas.load({ conversations: conversations.allEntries(), stored: usage.stored, recent: usage.recent });
  ledger.onCommit((event) => quotas.apply(event, (id) => conversations.entry(id)?.openerHost));
  const previous = adminKey.previous ? { publicKey: adminKey.previous.publicKey, until: Date.parse(adminKey.previous.until) } : null;
  const keys = new KeyRing(ledger.state.hosts, { current: publicPart(adminKey.key), previous });
  return {
    relayId: identity.relayId,
    epoch: identity.epoch,
    version: readVersion(),
    ledger,
    activity: new HostActivity(),
    verify: createVerifier({ audience: audienceFor(identity.relayId), keys, replays: new ReplayCache(REPLAY_CACHE_ENTRIES, 30) }),
    keys,
    keyOverlapMs: opts.keyOverlapMs,
    dataDir: identity.dataDir,
    httpLimiter: new RateLimiter(opts.rateLimit),
    quotas,
    enrollLimiter: new RateLimiter(opts.enrollRateLimit),
    logger,
    maintenance,
    peeks: new PeekBroker(),
    now: opts.clock,
    isShuttingDown,
  };
}

function hubTimings(opts: ResolvedOptions) {
  const { heartbeatMs, helloTimeoutMs, stuckMs, highWaterBytes, frameBudgetPerSecond, allowedOrigins } = opts;
  return { heartbeatMs, helloTimeoutMs, stuckMs, highWaterBytes, frameBudgetPerSecond, allowedOrigins };
}

/** One server for the HTTP API and the WebSocket upgrades, with timeouts against slow clients. */
function createHttpServer(services: Services, hub: Hub): Server {
  // Headers within 10 s, a whole request within 30 s. Node checks these only every
  // connectionsCheckingInterval (30 s by default, which let a slow client hold a socket 27–31 s):
  // checked every second, a socket is closed within a second of its deadline.
  const server = createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 },
    getRequestListener(createApp(services).fetch),
  );
  server.on('upgrade', (req, socket, head) => void hub.handleUpgrade(req, socket, head));
  return server;
}
