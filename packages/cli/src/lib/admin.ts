// Acting as the relay admin from the relay's machine: the admin key and the relay's address come
// from its data dir (`admin-key.json`, `listen.json`).
import { resolve } from 'node:path';
import { adminClient, type RelayClient } from '@crosstalk/client';
import { CrosstalkError } from '@crosstalk/core';
import type { CliContext } from '../handler.js';
import { layoutOf } from './home.js';

export interface AdminConnection {
  dataDir: string;
  relayId: string;
  /** Where the relay listens, as this machine reaches it. */
  relayUrl: string;
  client: RelayClient;
}

/** `--data-dir`, relative to the current directory, else the home's relay data dir. */
export function dataDirOf(ctx: Pick<CliContext, 'crosstalkHome' | 'userHome' | 'cwd'>, option: string | undefined): string {
  return option !== undefined && option !== '' ? resolve(ctx.cwd, option) : layoutOf(ctx).relayDataDir;
}

/** An admin client for the relay of a data dir; `fallbackUrl` is used when the relay wrote no listen.json. */
export async function connectAdmin(dataDir: string, fallbackUrl?: string): Promise<AdminConnection> {
  const { readAdminKey, readRelayInfo } = await import('@crosstalk/relay');
  const info = await readRelayInfo(dataDir);
  const adminKey = await readAdminKey(dataDir);
  const relayUrl = info.url ?? fallbackUrl;
  if (!relayUrl) {
    throw new CrosstalkError('RELAY_UNREACHABLE', `the relay of ${dataDir} is not running (it has not written listen.json)`, {
      hint: 'start it with `crosstalk relay serve` (or `crosstalk up`), or pass --url',
    });
  }
  const client = await adminClient({ relayUrl, adminKey, relayId: info.relayId });
  return { dataDir, relayId: info.relayId, relayUrl, client };
}
