// Following one conversation live: a read-only `watch` link on the relay's WebSocket streams
// events, which are folded into the conversation with core's applyEvent. While the link is down
// (refused, relay restarting, too many watchers) the conversation is polled over HTTP instead.
import { RelayLink, type RelayClient } from '@crosstalk/agent';
import { applyEvent, emptyState, EventGapError, type Conversation, type RelayEvent, type RelayState, type ServerMessage } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';

export interface FollowOptions {
  client: RelayClient;
  signer: TokenSigner;
  id: string;
  /**
   * Called with the conversation first as it is now, then after every change to it. Return
   * true to stop following.
   */
  onUpdate(conversation: Conversation): boolean | void;
  signal?: AbortSignal | undefined;
  /** Poll interval while the link is down. */
  pollMs?: number;
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

/** The conversation an event belongs to, if any. */
function conversationOf(event: RelayEvent): string | undefined {
  switch (event.type) {
    case 'conversation.opened':
      return event.conversation.id;
    case 'turn.posted':
    case 'conversation.moderated':
    case 'conversation.closed':
      return event.conversation;
    default:
      return undefined;
  }
}

/**
 * Follows until onUpdate returns true (resolves 'done'), the signal aborts ('aborted'), or the
 * relay refuses this host for good (throws).
 */
export async function followConversation(options: FollowOptions): Promise<'done' | 'aborted'> {
  const { client, id } = options;
  if (options.signal?.aborted) return 'aborted';
  // The head before the read: events after it may already be in the state read, and applying
  // them again is a no-op.
  const health = await client.health();
  let epoch = health.epoch;
  const state: RelayState = emptyState();
  const initial = (await client.getConversation(id)).conversation;
  state.conversations.set(id, initial);
  state.seq = health.head;
  if (options.onUpdate(initial) === true) return 'done';

  return new Promise<'done' | 'aborted'>((resolve, reject) => {
    let finished = false;
    let pollTimer: NodeJS.Timeout | null = null;
    let polling = false;
    let lastSeen = initial.seq;

    const finish = (how: 'done' | 'aborted' | Error) => {
      if (finished) return;
      finished = true;
      if (pollTimer) clearTimeout(pollTimer);
      options.signal?.removeEventListener('abort', onAbort);
      void link.stop().finally(() => (how instanceof Error ? reject(how) : resolve(how)));
    };
    const onAbort = () => finish('aborted');

    const emit = (c: Conversation) => {
      lastSeen = c.seq;
      if (options.onUpdate(c) === true) finish('done');
    };

    const refetch = async () => {
      const fresh = (await client.getConversation(id)).conversation;
      state.conversations.set(id, fresh);
      if (fresh.seq !== lastSeen) emit(fresh);
    };

    const schedulePoll = () => {
      if (finished || pollTimer || link.open) return;
      pollTimer = setTimeout(() => {
        pollTimer = null;
        if (finished || link.open || polling) return schedulePoll();
        polling = true;
        refetch()
          .catch(() => undefined)
          .finally(() => {
            polling = false;
            schedulePoll();
          });
      }, options.pollMs ?? 1000);
    };

    const onEvents = (events: RelayEvent[]) => {
      let touched: Conversation | undefined;
      for (const event of events) {
        if (conversationOf(event) !== id) {
          state.seq = Math.max(state.seq, event.seq);
          continue;
        }
        try {
          touched = applyEvent(state, event) ?? touched;
        } catch (err) {
          if (!(err instanceof EventGapError)) throw err;
          state.seq = Math.max(state.seq, event.seq);
          void refetch().catch(() => schedulePoll());
          return;
        }
      }
      const c = state.conversations.get(id);
      if (touched && c) emit(c);
    };

    const onMessage = (m: ServerMessage) => {
      if (finished) return;
      if (m.t === 'welcome') {
        if (m.resync || m.epoch !== epoch) {
          // Another log: start from what the relay holds now.
          epoch = m.epoch;
          state.seq = m.head;
        }
        // Catch up on what may have changed while the link was down.
        void refetch().catch(() => schedulePoll());
      } else if (m.t === 'events') {
        onEvents(m.events);
      }
    };

    const link = new RelayLink({
      relayUrl: client.relayUrl,
      signer: options.signer,
      role: 'watch',
      hello: () => ({ epoch, cursor: state.seq }),
      log: SILENT,
      backoff: { baseMs: 200, capMs: 5000 },
      handlers: {
        onMessage,
        onDisconnect: () => schedulePoll(),
        onFatal: (error) => finish(error),
      },
    });
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) return finish('aborted');
    link.start();
    // Until the link says welcome, the poll covers for it.
    schedulePoll();
  });
}
