// `crosstalk relay serve`: the relay in the foreground until Ctrl-C or SIGTERM, then a clean stop
// (links closed, log flushed, data dir released) and exit 0. Structured logs go to stderr.
import { EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { dataDirOf } from '../lib/admin.js';
import { inContainer, lanAddress } from '../lib/lan.js';
import { aborted } from '../lib/signal.js';
import { say } from '../output.js';
import type { SERVE_OPTIONS } from '../spec/admin.js';

const handler: CommandHandler<typeof SERVE_OPTIONS> = async (ctx, _args, options) => {
  const { startRelay } = await import('@crosstalk/relay');
  const { host, port, logLevel } = options;
  const dataDir = dataDirOf(ctx, options.dataDir);
  const allowedOrigins = options.allowOrigin ?? [];
  const MiB = 1024 * 1024;
  const quotas = {
    ...(options.quotaOpen === undefined ? {} : { openConversations: options.quotaOpen }),
    ...(options.quotaMibPerHour === undefined ? {} : { bytesPerHour: options.quotaMibPerHour * MiB }),
    ...(options.quotaStoredMib === undefined ? {} : { storedBytes: options.quotaStoredMib * MiB }),
  };
  const keyOverlap = options.keyOverlap === undefined ? {} : { keyOverlapMs: options.keyOverlap * 1000 };
  const retention = {
    ...(options.retainClosedDays === undefined ? {} : { retainClosedDays: options.retainClosedDays }),
    ...(options.compactEveryHours === undefined ? {} : { compactEveryMs: options.compactEveryHours * 3_600_000 }),
  };
  const relay = await startRelay({ dataDir, host, port, allowedOrigins, logLevel, quotas, ...keyOverlap, ...retention });
  say(ctx, `crosstalk relay listening on ${relay.url} (data dir ${dataDir}); Ctrl-C stops it`);
  if (ctx.publicUrl) {
    say(ctx, `other machines reach it at ${ctx.publicUrl} (CROSSTALK_PUBLIC_URL); invite one with \`crosstalk relay invite --host <name>\``);
  } else if (host === '0.0.0.0' || host === '::') {
    const lan = lanAddress();
    if (lan) say(ctx, `other machines reach it at http://${lan}:${relay.port}; invite one with \`crosstalk relay invite --host <name>\``);
    if (inContainer()) say(ctx, 'this runs in a container: set CROSSTALK_PUBLIC_URL to the address other machines use, so `crosstalk relay invite` prints it');
  }
  const stoppedBy = await Promise.race([aborted(ctx.signal).then(() => null), relay.stopped.then((err) => err ?? null)]);
  if (stoppedBy) throw stoppedBy;
  say(ctx, 'stopping the relay');
  await relay.close();
  return { exitCode: EXIT.ok };
};
export default handler;
