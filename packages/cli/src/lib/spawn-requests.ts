// Asking a host to spawn or kill, and waiting for its answer. The relay records the request as an
// event; the asked host's agent reports the outcome, which is recorded too: this reads the log
// after the request until that outcome appears (only the asked host's report counts).
import { createRelayClient, createSpawnClient, type RelayClient, type SpawnClient } from '@crosstalk/client';
import { CrosstalkError, type KillResultedEvent, type SpawnResultedEvent } from '@crosstalk/core';
import { tokenSigner } from '@crosstalk/core/token';
import type { CliContext } from '../handler.js';
import { dataDirOf } from './admin.js';
import { connectHost, type HostConnection } from './home.js';

export interface Requester {
  client: RelayClient;
  spawns: SpawnClient;
  /** This host's connection; absent when asking as the admin. */
  host: HostConnection | undefined;
}

/** A requester signing as this host, or with the relay admin key (`--admin`, on the relay machine). */
export async function requester(ctx: CliContext, admin: boolean): Promise<Requester> {
  if (admin) {
    const { readAdminKey, readRelayInfo } = await import('@crosstalk/relay');
    const dataDir = dataDirOf(ctx, undefined);
    const info = await readRelayInfo(dataDir);
    if (!info.url) throw new CrosstalkError('RELAY_UNREACHABLE', `the relay of ${dataDir} is not running (it has not written listen.json)`);
    const signer = await tokenSigner(await readAdminKey(dataDir), 'admin', info.relayId);
    return { client: createRelayClient({ relayUrl: info.url, signer }), spawns: createSpawnClient({ relayUrl: info.url, signer }), host: undefined };
  }
  const host = await connectHost(ctx);
  return { client: host.client, spawns: createSpawnClient({ relayUrl: host.config.relayUrl, signer: host.signer }), host };
}

type Outcome<T extends 'spawn.resulted' | 'kill.resulted'> = T extends 'spawn.resulted' ? SpawnResultedEvent : KillResultedEvent;

/** The outcome event of request `id` from `host`, read from the log after `seq`; TIMEOUT after `timeoutMs`. */
export async function waitOutcome<T extends 'spawn.resulted' | 'kill.resulted'>(
  client: RelayClient,
  type: T,
  request: { id: string; seq: number; host: string },
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Outcome<T>> {
  const deadline = Date.now() + timeoutMs;
  let after = request.seq;
  while (!signal.aborted) {
    const { events } = await client.events(after);
    for (const e of events) {
      after = Math.max(after, e.seq);
      if (e.type === type && e.id === request.id && e.host === request.host) return e as Outcome<T>;
    }
    if (Date.now() >= deadline) break;
    if (events.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  throw new CrosstalkError('TIMEOUT', `host ${request.host} did not answer request ${request.id} within ${Math.round(timeoutMs / 1000)} s`, {
    hint: `is its agent running? \`crosstalk sessions --spawned\` shows the request; \`crosstalk doctor\` on ${request.host} checks the agent`,
  });
}

/** A refused or failed outcome as the error the command exits with; the rule is named. */
export function outcomeError(what: 'spawn' | 'kill', e: { outcome: string; reason: string; detail: string; host: string }): CrosstalkError {
  if (e.outcome === 'refused') {
    return new CrosstalkError('SPAWN_REFUSED', `host ${e.host} refused the ${what}: rule ${e.reason}: ${e.detail}`, { details: { rule: e.reason } });
  }
  return new CrosstalkError('SPAWN_FAILED', `host ${e.host} could not ${what}: ${e.reason}: ${e.detail}`, { details: { reason: e.reason } });
}
