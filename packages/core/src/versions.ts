// Which protocol version brought each event kind and each link frame kind, and how the relay
// serves a peer one version behind: it speaks to it in that peer's version, and never sends it
// an event of a kind the peer does not know; a stand-in with the same seq takes its place, so the
// peer keeps its place in the log (see docs/PROTOCOL.md, "Versions").
//
// Adding a kind: add its line here with the version it came with (PROTOCOL_VERSION when it is
// new). The `satisfies` clauses make a kind without a line fail to compile.
import { CrosstalkError } from './errors.js';
import { PROTOCOL_VERSION } from './protocol.js';
import type { ClientMessage, RelayEvent, ServerMessage } from './types.js';

/** The oldest protocol version the relay still serves (the one before the current). */
export const OLDEST_PROTOCOL = PROTOCOL_VERSION - 1;

/** The HTTP header that states a request's (and its answer's) protocol version. */
export const PROTOCOL_HEADER = 'crosstalk-protocol';

/** A request without the header comes from version 2, the last one that did not send it. */
export const UNSTATED_PROTOCOL = 2;

/** Event kind → the protocol version it came with. */
export const EVENT_KIND_SINCE = {
  'conversation.opened': 1,
  'turn.posted': 1,
  'conversation.moderated': 1,
  'conversation.closed': 1,
  'session.registered': 1,
  'session.unregistered': 1,
  'host.enrolled': 1,
  'host.revoked': 1,
  'invite.created': 1,
  receipt: 1,
  withheld: 3,
  'host.key-rotated': 3,
  'admin.key-rotated': 3,
  'spawn.requested': 3,
  'spawn.resulted': 3,
  'kill.requested': 3,
  'kill.resulted': 3,
  'conversation.archived': 3,
  'conversation.deleted': 3,
  'conversation.purged': 3,
} as const satisfies Record<RelayEvent['type'], number>;

/** Link frames an agent or watcher sends → the protocol version each came with. */
export const CLIENT_FRAME_SINCE = {
  hello: 1,
  receipt: 1,
  presence: 1,
  replay: 1,
  ack: 1,
  post: 3,
  peeked: 3,
} as const satisfies Record<ClientMessage['t'], number>;

/** Link frames the relay sends → the protocol version each came with. */
export const SERVER_FRAME_SINCE = {
  welcome: 1,
  events: 1,
  error: 1,
  posted: 3,
  refused: 3,
  peek: 3,
} as const satisfies Record<ServerMessage['t'], number>;

export type ProtocolCheck = { ok: true; version: number } | { ok: false; tooOld: boolean; version: number };

/** Whether the relay serves a peer that states `version`. */
export function checkProtocol(version: number): ProtocolCheck {
  if (version >= OLDEST_PROTOCOL && version <= PROTOCOL_VERSION) return { ok: true, version };
  return { ok: false, tooOld: version < OLDEST_PROTOCOL, version };
}

/**
 * The relay's refusal of a peer it does not serve, naming both versions and what to upgrade.
 * `release` is the relay's crosstalk release.
 */
export function protocolRefusal(version: number, release: string): CrosstalkError {
  const serves = `this relay (crosstalk ${release}) serves protocol ${OLDEST_PROTOCOL} and ${PROTOCOL_VERSION}`;
  const details = { client: version, oldest: OLDEST_PROTOCOL, current: PROTOCOL_VERSION, relayRelease: release };
  if (version < OLDEST_PROTOCOL) {
    return new CrosstalkError(
      'PROTOCOL_TOO_OLD',
      `${serves}; this client speaks protocol ${version}: upgrade crosstalk on the client's machine (agent and CLI) to ${release}`,
      {
        details,
      },
    );
  }
  return new CrosstalkError('PROTOCOL_TOO_NEW', `${serves}; this client speaks protocol ${version}: upgrade the relay to the client's release first`, {
    details,
  });
}

/**
 * A client's own finding that the relay at `relayUrl` does not speak its version (`relay` is what
 * the relay's health says it speaks to this client): which side to upgrade.
 */
export function relayMismatch(relayUrl: string, relay: number, release: string): CrosstalkError {
  const both = `the relay at ${relayUrl} (crosstalk ${release}) speaks protocol ${relay}; this program speaks protocol ${PROTOCOL_VERSION}`;
  const details = { relay, local: PROTOCOL_VERSION, relayRelease: release };
  if (relay < PROTOCOL_VERSION) return new CrosstalkError('PROTOCOL_TOO_NEW', `${both}: upgrade the relay first`, { details });
  return new CrosstalkError('PROTOCOL_TOO_OLD', `${both}: upgrade crosstalk on this machine to ${release}`, { details });
}

/** The protocol version stated by a header value; null when the value is not a version number. */
export function parseProtocolHeader(value: string | undefined): number | null {
  if (value === undefined) return UNSTATED_PROTOCOL;
  return /^[1-9]\d{0,3}$/.test(value.trim()) ? Number(value.trim()) : null;
}

/** The version an event kind came with; an unknown kind counts as newer than anything. */
export function eventKindSince(kind: string): number {
  return Object.hasOwn(EVENT_KIND_SINCE, kind) ? EVENT_KIND_SINCE[kind as keyof typeof EVENT_KIND_SINCE] : Number.POSITIVE_INFINITY;
}

/** Whether a peer of protocol `peer` knows this event kind. */
export function peerKnowsEvent(kind: string, peer: number): boolean {
  return eventKindSince(kind) <= peer;
}

/** Whether a peer of protocol `peer` may send this frame kind. */
export function peerMaySend(frame: ClientMessage['t'], peer: number): boolean {
  return CLIENT_FRAME_SINCE[frame] <= peer;
}

/** The invite id a version-2 peer sees in place of a withheld event. */
export const WITHHELD_INVITE = 'withheld';

/**
 * What a peer of protocol `peer` is sent in place of an event it does not know: an event of the
 * same seq and time that changes nothing it holds. From version 3 that is a `withheld` event;
 * version 2 knows no such kind, so it gets an invite that expired as it was made (invites are
 * read by the relay's rules only: no agent, watcher or page acts on one).
 */
export function standInFor(event: { seq: number; at: string; type: string }, peer: number): RelayEvent {
  if (peer >= EVENT_KIND_SINCE.withheld) return { seq: event.seq, at: event.at, type: 'withheld', kind: event.type.slice(0, 64) };
  return { seq: event.seq, at: event.at, type: 'invite.created', invite: WITHHELD_INVITE, hash: '0'.repeat(64), host: null, expiresAt: event.at };
}

/** An event as a peer of protocol `peer` is to see it. */
export function eventForPeer(event: RelayEvent, peer: number): RelayEvent {
  return peerKnowsEvent(event.type, peer) ? event : standInFor(event, peer);
}
