// The load of the chaos suites: lanes of turns posted by in-process clients — over HTTP signing as
// the sessions' hosts, or the CLI's way through the hosts' agents — each lane one conversation at a
// time between two sessions on two hosts. Every post is retried with the same idempotency key until the relay answers it, whatever the
// faults do in between; what the relay acknowledged is kept for the final check.
import { randomBytes } from 'node:crypto';
import { CrosstalkError } from '@crosstalk/core';
import type { Rng } from '../harness/index.js';
import type { PostingClient } from './agent-posting.js';

/**
 * Answers that mean "try again": the relay is down, restarting, busy, or the connection broke; or
 * the host's agent kept the post but the relay did not answer in time (the same key follows it).
 */
const RETRYABLE = new Set(['RELAY_UNREACHABLE', 'SHUTTING_DOWN', 'RATE_LIMITED', 'TIMEOUT', 'POST_QUEUED']);

export interface Lane {
  index: number;
  /** Opener first; turns alternate. */
  sessions: [string, string];
  /** An HTTP client, or the CLI's way through the host's agent (agent-posting.ts). */
  clients: [PostingClient, PostingClient];
}

export interface PostStats {
  acked: number;
  attempts: number;
  retried: number;
  duplicates: number;
  conversations: number;
}

/** The token in each body: lane, conversation of the lane, turn, key. Unique per turn. */
export const TOKEN = /\[chaos c(\d+)\.(\d+) t(\d+) ([A-Za-z0-9_-]+)\]/g;

export class Posters {
  readonly stats: PostStats = { acked: 0, attempts: 0, retried: 0, duplicates: 0, conversations: 0 };
  /** Acknowledged tokens per conversation id, in turn order. */
  readonly acked = new Map<string, string[]>();

  constructor(
    private readonly lanes: Lane[],
    private readonly options: {
      total: number;
      /** Turns per conversation before a lane closes it and opens the next. */
      perConversation: number;
      rng: Rng;
      /** Waits while a fault due at this count of acknowledged turns has not started. */
      gate: (acked: number) => Promise<void>;
    },
  ) {}

  async run(): Promise<void> {
    const share = Math.floor(this.options.total / this.lanes.length);
    await Promise.all(
      this.lanes.map((lane, i) => this.runLane(lane, i === this.lanes.length - 1 ? this.options.total - share * (this.lanes.length - 1) : share)),
    );
  }

  private async runLane(lane: Lane, turns: number): Promise<void> {
    let conversation: string | null = null;
    let generation = 0;
    let n = 0;
    for (let k = 0; k < turns; k++) {
      await this.options.gate(this.stats.acked);
      if (conversation !== null && n >= this.options.perConversation) {
        const id: string = conversation;
        await this.retry(() => lane.clients[0].close(id, { as: lane.sessions[0], resolution: 'lane rotates' }), ['CONVERSATION_CLOSED']);
        conversation = null;
      }
      const key = randomBytes(12).toString('base64url');
      if (conversation === null) {
        generation++;
        const token = `[chaos c${lane.index}.${generation} t1 ${key}]`;
        const answer = await this.retry(() =>
          lane.clients[0].openConversation({
            as: lane.sessions[0],
            topic: `chaos lane ${lane.index} part ${generation}`,
            with: [lane.sessions[1]],
            maxTurns: 1000,
            body: `${token}\nopening`,
            idempotencyKey: key,
          }),
        );
        if (!answer) throw new Error('an opening was refused');
        conversation = answer.conversation.id;
        this.stats.conversations++;
        n = 1;
        this.ack(conversation, token, answer.duplicate);
        continue;
      }
      const turn = n + 1;
      const author = ((turn - 1) % 2) as 0 | 1;
      const token = `[chaos c${lane.index}.${generation} t${turn} ${key}]`;
      const id: string = conversation;
      const answer = await this.retry(() =>
        lane.clients[author].postTurn(id, { as: lane.sessions[author], expectedTurn: turn, idempotencyKey: key, body: `${token}\nturn ${turn}` }),
      );
      if (!answer || answer.turn?.n !== turn) throw new Error(`turn ${turn} of ${id} was answered with ${JSON.stringify(answer?.turn?.n)}`);
      n = turn;
      this.ack(id, token, answer.duplicate);
    }
  }

  private ack(conversation: string, token: string, duplicate: boolean): void {
    this.stats.acked++;
    if (duplicate) this.stats.duplicates++;
    const list = this.acked.get(conversation) ?? [];
    list.push(token);
    this.acked.set(conversation, list);
  }

  /** Calls until answered; `settled` codes count as done (a retried close that had already closed). */
  private async retry<T>(call: () => Promise<T>, settled: string[] = []): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      this.stats.attempts++;
      try {
        return await call();
      } catch (err) {
        const code = err instanceof CrosstalkError ? err.code : null;
        if (code !== null && settled.includes(code)) return null;
        if (code !== null && !RETRYABLE.has(code)) throw err;
        this.stats.retried++;
        const backoff = Math.min(500, 20 * 2 ** Math.min(attempt, 5));
        await new Promise((r) => setTimeout(r, backoff / 2 + this.options.rng.int(0, backoff / 2)));
      }
    }
  }
}
