// Following one conversation live: a read-only `watch` link on the relay's WebSocket streams
// events, which are folded into the conversation with core's applyEvent. While the link is down
// (refused, relay restarting, too many watchers) the conversation is polled over HTTP instead.
import { RelayLink } from '@crosstalk/agent';
import type { RelayClient } from '@crosstalk/client';
import {
  applyEvent,
  CrosstalkError,
  emptyState,
  EventGapError,
  type Conversation,
  type RelayEvent,
  type RelayState,
  type ServerMessage,
} from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';

export interface FollowOptions {
  client: RelayClient;
  signer: TokenSigner;
  id: string;
  /**
   * Called with the conversation first as it is now, then after every change to it. Return
   * true to stop following.
   */
  onUpdate(conversation: Conversation): boolean | undefined;
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

/** Where following starts: the conversation as read, and the relay's head and epoch just before. */
interface Start {
  conversation: Conversation;
  epoch: string;
  head: number;
}

async function readStart(client: RelayClient, id: string): Promise<Start> {
  // The head before the read: events after it may already be in the state read, and applying
  // them again is a no-op.
  const health = await client.health();
  const conversation = (await client.getConversation(id)).conversation;
  return { conversation, epoch: health.epoch, head: health.head };
}

/**
 * Follows until onUpdate returns true (resolves 'done'), the signal aborts ('aborted'), or the
 * relay refuses this host for good (throws).
 */
export async function followConversation(options: FollowOptions): Promise<'done' | 'aborted'> {
  if (options.signal?.aborted) return 'aborted';
  const start = await readStart(options.client, options.id);
  if (options.onUpdate(start.conversation) === true) return 'done';
  return new Follower(options, start).run();
}

/** One live follow: the watch link, the poll that covers while it is down, and the folded state. */
class Follower {
  private readonly state: RelayState = emptyState();
  private epoch: string;
  private lastSeen: number;
  private finished = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private readonly link: RelayLink;
  private settle: (how: 'done' | 'aborted' | Error) => void = () => {};
  private readonly onAbort = () => this.finish('aborted');

  constructor(
    private readonly options: FollowOptions,
    start: Start,
  ) {
    this.state.conversations.set(options.id, start.conversation);
    this.state.seq = start.head;
    this.epoch = start.epoch;
    this.lastSeen = start.conversation.seq;
    this.link = new RelayLink({
      relayUrl: options.client.relayUrl,
      signer: options.signer,
      role: 'watch',
      hello: () => ({ epoch: this.epoch, cursor: this.state.seq }),
      log: SILENT,
      backoff: { baseMs: 200, capMs: 5000 },
      handlers: {
        onMessage: (m) => this.onMessage(m),
        onDisconnect: () => this.schedulePoll(),
        onFatal: (error) => this.finish(error),
      },
    });
  }

  run(): Promise<'done' | 'aborted'> {
    return new Promise((resolve, reject) => {
      this.settle = (how) => (how instanceof Error ? reject(how) : resolve(how));
      this.options.signal?.addEventListener('abort', this.onAbort);
      if (this.options.signal?.aborted) return this.finish('aborted');
      this.link.start();
      // Until the link says welcome, the poll covers for it.
      this.schedulePoll();
    });
  }

  private finish(how: 'done' | 'aborted' | Error): void {
    if (this.finished) return;
    this.finished = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    void this.link.stop().finally(() => this.settle(how));
  }

  private emit(c: Conversation): void {
    this.lastSeen = c.seq;
    if (this.options.onUpdate(c) === true) this.finish('done');
  }

  private async refetch(): Promise<void> {
    const fresh = (await this.options.client.getConversation(this.options.id)).conversation;
    this.state.conversations.set(this.options.id, fresh);
    if (fresh.seq !== this.lastSeen) this.emit(fresh);
  }

  /** A read the relay failed (it is away, or restarting) is retried by the poll; anything else ends the follow. */
  private readFailed(err: unknown): void {
    // A deleted conversation is not coming back.
    if (err instanceof CrosstalkError && err.code !== 'CONVERSATION_NOT_FOUND') this.schedulePoll();
    else this.finish(err instanceof Error ? err : new Error(String(err)));
  }

  private schedulePoll(): void {
    if (this.finished || this.pollTimer || this.link.open) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (this.finished || this.link.open || this.polling) return this.schedulePoll();
      this.polling = true;
      this.refetch().then(
        () => this.pollDone(),
        (err: unknown) => this.pollDone(err),
      );
    }, this.options.pollMs ?? 1000);
  }

  private pollDone(err?: unknown): void {
    this.polling = false;
    if (err === undefined) this.schedulePoll();
    else this.readFailed(err);
  }

  private onEvents(events: RelayEvent[]): void {
    const { id } = this.options;
    let touched: Conversation | undefined;
    for (const event of events) {
      if (event.type === 'conversation.deleted' && event.conversation === id) {
        this.finish(new CrosstalkError('CONVERSATION_NOT_FOUND', `${id} was deleted`, { details: { conversation: id } }));
        return;
      }
      if (conversationOf(event) !== id) {
        this.state.seq = Math.max(this.state.seq, event.seq);
        continue;
      }
      try {
        touched = applyEvent(this.state, event) ?? touched;
      } catch (err) {
        if (!(err instanceof EventGapError)) throw err;
        this.state.seq = Math.max(this.state.seq, event.seq);
        void this.refetch().catch((e: unknown) => this.readFailed(e));
        return;
      }
    }
    const c = this.state.conversations.get(id);
    if (touched && c) this.emit(c);
  }

  private onMessage(m: ServerMessage): void {
    if (this.finished) return;
    if (m.t === 'welcome') {
      if (m.resync || m.epoch !== this.epoch) {
        // Another log: start from what the relay holds now.
        this.epoch = m.epoch;
        this.state.seq = m.head;
      }
      // Catch up on what may have changed while the link was down.
      void this.refetch().catch((e: unknown) => this.readFailed(e));
    } else if (m.t === 'events') {
      this.onEvents(m.events);
    }
  }
}
