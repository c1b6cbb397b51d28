// Events as a peer one protocol version behind is to see them: each event of a kind the peer
// does not know becomes core's stand-in with the same seq (versions.ts), so the peer neither
// refuses the batch nor sees a hole in the seq order. Peers of the current version get the
// logged strings untouched; only an older peer's events are parsed again.
import { eventForPeer, PROTOCOL_VERSION, type RelayEvent } from '@crosstalk/core';

/** The serialized events (as logged) as a peer of protocol `peer` is to see them. */
export function eventsForPeer(serialized: readonly string[], peer: number): readonly string[] {
  if (peer >= PROTOCOL_VERSION) return serialized;
  return serialized.map((text) => {
    const event = JSON.parse(text) as RelayEvent;
    const seen = eventForPeer(event, peer);
    return seen === event ? text : JSON.stringify(seen);
  });
}
