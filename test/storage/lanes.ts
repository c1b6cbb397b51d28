// Load for the storage suites: lanes of turns posted through the relay's HTTP API, each lane one
// conversation between two sessions on two hosts, one turn at a time. Every post's fate is kept:
// in flight, or acknowledged (the relay answered it, so it must be on disk).
import { randomBytes } from 'node:crypto';
import type { RelayClient } from '@crosstalk/client';

export interface Post {
  lane: number;
  /** Turn number it writes (1 = the opening). */
  n: number;
  as: string;
  host: 0 | 1;
  key: string;
  body: string;
  state: 'pending' | 'in-flight' | 'acked';
  conversation?: string;
}

export interface LaneSetup {
  clients: [RelayClient, RelayClient];
  sessions: [string, string];
  lanes: number;
  turnsPerLane: number;
  /** Called right after a post is acknowledged (synchronously, before anything else runs). */
  onAck?(post: Post): void;
}

/** Bodies of varied size and content, each carrying a unique token. */
function bodyFor(lane: number, n: number, salt: string): string {
  const token = `[lane ${lane} turn ${n} ${salt}]`;
  const filler = ['short', 'line one\nline two\n---\nnot: a header', 'unicode é 中文 🚀', 'x'.repeat(2000)][n % 4] as string;
  return `${token}\n${filler}`;
}

export function planLanes(setup: Pick<LaneSetup, 'sessions' | 'lanes' | 'turnsPerLane'>): Post[][] {
  return Array.from({ length: setup.lanes }, (_, lane) =>
    Array.from({ length: setup.turnsPerLane }, (_, i): Post => {
      const host = (i % 2) as 0 | 1;
      return {
        lane,
        n: i + 1,
        as: setup.sessions[host],
        host,
        key: randomBytes(9).toString('base64url'),
        body: bodyFor(lane, i + 1, randomBytes(3).toString('hex')),
        state: 'pending',
      };
    }),
  );
}

/** Sends one post; the opening opens the lane's conversation. */
export async function send(
  setup: Pick<LaneSetup, 'clients' | 'sessions'>,
  post: Post,
  conversation: string | undefined,
): Promise<{ conversation: string; n: number; duplicate: boolean; body: string }> {
  const client = setup.clients[post.host];
  if (post.n === 1) {
    const r = await client.openConversation({
      as: post.as,
      topic: `lane ${post.lane}`,
      with: [setup.sessions[1]],
      maxTurns: 1000,
      body: post.body,
      idempotencyKey: post.key,
    });
    return { conversation: r.conversation.id, n: r.turn?.n ?? 0, duplicate: r.duplicate, body: r.turn?.body ?? '' };
  }
  if (!conversation) throw new Error('no conversation for a reply');
  const r = await client.postTurn(conversation, { as: post.as, expectedTurn: post.n, idempotencyKey: post.key, body: post.body });
  return { conversation, n: r.turn?.n ?? 0, duplicate: r.duplicate, body: r.turn?.body ?? '' };
}

/** Runs every lane to its end, lanes side by side. */
export async function runLanes(setup: LaneSetup, plan: Post[][]): Promise<void> {
  await Promise.all(
    plan.map(async (posts) => {
      let conversation: string | undefined;
      for (const post of posts) {
        post.state = 'in-flight';
        const answer = await send(setup, post, conversation);
        conversation = answer.conversation;
        for (const p of posts) p.conversation = conversation;
        post.state = 'acked';
        setup.onAck?.(post);
      }
    }),
  );
}
