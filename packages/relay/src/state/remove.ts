// Deleting conversations: one path for a request (`crosstalk delete`) and for the retention
// setting. Each is decided by core's rules, all are committed together, and the turns they held
// stop counting against their hosts' stored-bytes quota.
import { decideDelete, type Actor, type Conversation, type RelayEvent } from '@crosstalk/core';
import type { Services } from '../services.js';

export interface Removed {
  events: RelayEvent[];
  durable: Promise<void>;
}

export function deleteConversations(
  services: Pick<Services, 'ledger' | 'quotas'>,
  ids: readonly string[],
  actor: Actor,
  at: string,
  reason: 'request' | 'retention',
): Removed {
  const { ledger, quotas } = services;
  const gone: Conversation[] = [];
  const pending = ids.flatMap((id) => {
    const outcome = decideDelete(ledger.state, { actor, conversation: id, at, reason });
    gone.push(ledger.state.conversations.get(id) as Conversation);
    return outcome.kind === 'events' ? outcome.events : [];
  });
  if (pending.length === 0) return { events: [], durable: Promise.resolve() };
  const { events, durable } = ledger.commit(pending);
  for (const c of gone) quotas.release(c);
  return { events, durable };
}
