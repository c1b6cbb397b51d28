// Archiving and deleting a conversation (docs/RELAY.md, "Archive, delete, retention"). Archive:
// the moderator or the admin, any time. Delete: the admin any time, the moderator once the
// conversation is closed; the tombstone it yields stays in the log for good.
import { CrosstalkError } from '../errors.js';
import type { RelayState } from '../state.js';
import type { Actor } from '../types.js';
import { actorName, checkModerator, getConversation } from './checks.js';
import type { Outcome } from './commands.js';

export interface RemovalCommand {
  actor: Actor;
  conversation: string;
  at: string;
}

export function decideArchive(state: RelayState, cmd: RemovalCommand): Outcome {
  const c = getConversation(state, cmd.conversation);
  checkModerator(state, c, cmd.actor);
  if (c.archived) throw new CrosstalkError('CONVERSATION_ARCHIVED', `${c.id} is already archived`, { details: { conversation: c.id } });
  return { kind: 'events', events: [{ type: 'conversation.archived', at: cmd.at, conversation: c.id, by: actorName(cmd.actor) }] };
}

export function decideDelete(state: RelayState, cmd: RemovalCommand & { reason?: 'request' | 'retention' }): Outcome {
  const c = getConversation(state, cmd.conversation);
  checkModerator(state, c, cmd.actor);
  if (cmd.actor.kind !== 'admin' && c.status !== 'closed') {
    throw new CrosstalkError('CONVERSATION_NOT_CLOSED', `${c.id} is ${c.status}; its moderator may delete it once it is closed`, {
      details: { conversation: c.id, status: c.status },
    });
  }
  return {
    kind: 'events',
    events: [{ type: 'conversation.deleted', at: cmd.at, conversation: c.id, by: actorName(cmd.actor), reason: cmd.reason ?? 'request' }],
  };
}
