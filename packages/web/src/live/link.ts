// Keeps the LiveState current: a read-only watch link to the relay, signed as this host, that
// streams every event from the start (or from where it was, after a reconnect), the way
// `crosstalk tail -f` follows one conversation. The web view holds no other copy of the log.
import { RelayLink } from '@crosstalk/agent';
import type { ServerMessage } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import type { LiveState } from './state.js';

export interface LiveLinkOptions {
  relayUrl: string;
  signer: TokenSigner;
  live: LiveState;
  log: { warn(message: string): void };
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

export class LiveLink {
  private epoch: string | null = null;
  private head: number | null = null;
  private readonly link: RelayLink;
  private readyWaiters: Array<() => void> = [];

  constructor(private readonly options: LiveLinkOptions) {
    this.link = new RelayLink({
      relayUrl: options.relayUrl,
      signer: options.signer,
      role: 'watch',
      hello: () => ({ epoch: this.epoch, cursor: options.live.seq }),
      log: SILENT,
      backoff: { baseMs: 200, capMs: 5000 },
      handlers: {
        onMessage: (m) => this.onMessage(m),
        onFatal: (error) => options.log.warn(`the relay refused this host for good: ${error.message}`),
      },
    });
  }

  /** Linked to the relay now. */
  get connected(): boolean {
    return this.link.open;
  }

  start(): void {
    this.link.start();
  }

  stop(): Promise<void> {
    this.caughtUp();
    return this.link.stop();
  }

  /** Resolves once the state holds everything the relay held when the link was first welcomed. */
  ready(): Promise<void> {
    if (this.isCaughtUp()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private isCaughtUp(): boolean {
    return this.head !== null && this.options.live.seq >= this.head;
  }

  private caughtUp(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private onMessage(m: ServerMessage): void {
    const { live } = this.options;
    if (m.t === 'welcome') {
      // Another log (or one this state is ahead of): start again from its first event.
      if (m.resync || (this.epoch !== null && m.epoch !== this.epoch)) live.reset();
      this.epoch = m.epoch;
      this.head ??= m.head;
    } else if (m.t === 'events') {
      const gapAfter = live.apply(m.events);
      if (gapAfter !== null) this.link.send({ t: 'replay', after: gapAfter });
    }
    if (this.isCaughtUp()) this.caughtUp();
  }
}
