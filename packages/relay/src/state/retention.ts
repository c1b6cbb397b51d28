// The retention setting (`relay serve --retain-closed-days N`): on a timer, the relay deletes the
// conversations that were closed more than N days ago, as an admin's `crosstalk delete` would
// (a tombstone each, reason `retention`). Conversations that are not closed are never touched.
import type { Conversation, RelayState } from '@crosstalk/core';
import type { Logger } from 'pino';
import { isoNow, type Services } from '../services.js';
import { deleteConversations } from './remove.js';

const DAY_MS = 86_400_000;
/** Tombstones committed together at most; the rest wait for the next round. */
const PER_ROUND = 1000;

export interface RetentionConfig {
  closedDays: number;
  everyMs: number;
}

/** Ids of the conversations closed before `cutoff` (ISO time; relay times compare as strings). */
export function closedBefore(state: RelayState, cutoff: string, max = PER_ROUND): string[] {
  const out: string[] = [];
  for (const c of state.conversations.values() as Iterable<Conversation>) {
    if (c.status === 'closed' && c.resolution && c.resolution.at < cutoff) out.push(c.id);
    if (out.length >= max) break;
  }
  return out;
}

export interface Retention {
  /** One round now: the number of conversations deleted. */
  run(): Promise<number>;
  stop(): void;
}

export function startRetention(services: Pick<Services, 'ledger' | 'quotas' | 'now' | 'isShuttingDown'>, config: RetentionConfig, logger: Logger): Retention {
  let running: Promise<number> | null = null;
  const round = async (): Promise<number> => {
    if (services.isShuttingDown()) return 0;
    const cutoff = new Date(services.now() - config.closedDays * DAY_MS).toISOString();
    const ids = closedBefore(services.ledger.state, cutoff);
    if (ids.length === 0) return 0;
    const { durable } = deleteConversations(services, ids, { kind: 'admin' }, isoNow(services), 'retention');
    await durable;
    logger.info({ deleted: ids.length, closedDays: config.closedDays }, 'retention deleted conversations closed before the cutoff');
    return ids.length;
  };
  const run = (): Promise<number> => {
    running ??= round().finally(() => (running = null));
    return running;
  };
  const tick = () =>
    void run().catch((err: unknown) => {
      if (!services.isShuttingDown()) logger.warn({ err }, 'retention round failed; the next one tries again');
    });
  const timer = setInterval(tick, config.everyMs);
  timer.unref();
  setImmediate(tick);
  return { run, stop: () => clearInterval(timer) };
}
