// `crosstalk join` / `leave`: register a session with the relay (signed by this host) and keep
// the local record with its wake target.
import type { RelayClient } from '@crosstalk/client';
import { checkName, CrosstalkError, type SessionInfo, type SessionKind, type WakeTarget } from '@crosstalk/core';
import { hostClient } from '../home/host-client.js';
import type { HomeLayout } from '../home/index.js';
import { removeLocalSession, upsertLocalSession, type LocalSession } from './local-sessions.js';

export interface JoinOptions {
  layout: HomeLayout;
  name: string;
  kind: SessionKind;
  /** Where to type wake-ups: from `recordWakeTarget` (src/terminals), or `{type: 'none'}` to poll. */
  wake: WakeTarget;
  /** A client signing as this host; made from the home when absent. */
  client?: RelayClient | undefined;
}

/** The checked session name, and the client to act with: the one given, or one made from the home. */
async function actingAs(options: { layout: HomeLayout; name: string; client?: RelayClient | undefined }): Promise<{ name: string; client: RelayClient }> {
  const name = checkName('session', options.name);
  return { name, client: options.client ?? (await hostClient({ layout: options.layout })).client };
}

export async function joinSession(options: JoinOptions): Promise<{ session: SessionInfo; local: LocalSession }> {
  const { name, client } = await actingAs(options);
  const { session } = await client.registerSession({ name, kind: options.kind, wake: options.wake });
  const local: LocalSession = { name, kind: options.kind, wake: options.wake, joinedAt: session.joinedAt };
  await upsertLocalSession(options.layout.sessions, local);
  return { session, local };
}

export interface LeaveOptions {
  layout: HomeLayout;
  name: string;
  client?: RelayClient | undefined;
}

/** Unregisters the session; one the relay no longer knows is still removed here. */
export async function leaveSession(options: LeaveOptions): Promise<{ removedOnRelay: boolean; removedLocally: boolean }> {
  const { name, client } = await actingAs(options);
  let removedOnRelay = true;
  try {
    await client.unregisterSession(name);
  } catch (err) {
    if (!(err instanceof CrosstalkError) || err.code !== 'SESSION_NOT_FOUND') throw err;
    removedOnRelay = false;
  }
  const removedLocally = await removeLocalSession(options.layout.sessions, name);
  return { removedOnRelay, removedLocally };
}
