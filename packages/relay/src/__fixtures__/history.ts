// A seeded generator of realistic, varied event batches, decided by core's rules against the
// current state: sessions, conversations, turns with awkward bodies, moderation, receipts.
import { conversationId, decideClose, decideModerate, decideOpen, decidePost, sessionsToWake, type PendingEvent, type RelayState } from '@crosstalk/core';

export type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const BODIES = [
  'short',
  'line one\nline two\n\n---\nnot: a header\n',
  'unicode: é ü 中文 🚀 and a zero-width\u200b char',
  'quotes " and backslashes \\ and tabs\t',
  '```ts\nconst x = { a: 1 };\n```',
  'a\r\nwindows\r\nlines',
];

function body(rand: Rand): string {
  const base = pick(rand, BODIES);
  const repeat = 1 + Math.floor(rand() * (rand() < 0.1 ? 200 : 3));
  return Array.from({ length: repeat }, () => base).join(' ');
}

const HOSTS = ['linux-box', 'win-laptop'];
const SESSIONS = ['codex-linux', 'claude-linux', 'claude-win'];

export class HistoryGenerator {
  private clock = Date.parse('2026-11-21T14:00:00Z');
  private n = 0;

  constructor(private readonly rand: Rand) {}

  private at(): string {
    this.clock += 1 + Math.floor(this.rand() * 2000);
    return new Date(this.clock).toISOString();
  }

  private hostOf(session: string): string {
    return session.endsWith('win') ? 'win-laptop' : 'linux-box';
  }

  /** The next batch of events for `state` (one to a few events). */
  next(state: RelayState): PendingEvent[] {
    const at = this.at();
    try {
      const events = this.decide(state, at);
      if (events.length > 0) return events;
    } catch {
      // A move the rules refuse: fall through to an always-valid event.
    }
    const name = pick(this.rand, SESSIONS);
    return [{ type: 'session.registered', at, session: { name, host: this.hostOf(name), kind: 'codex', wake: { type: 'none' }, joinedAt: at } }];
  }

  private decide(state: RelayState, at: string): PendingEvent[] {
    this.n++;
    for (const host of HOSTS) {
      if (!state.hosts.has(host)) {
        return [{ type: 'host.enrolled', at, host, publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) }, invite: `inv${this.n}` }];
      }
    }
    for (const name of SESSIONS) {
      if (!state.sessions.has(name))
        return [{ type: 'session.registered', at, session: { name, host: this.hostOf(name), kind: 'other', wake: { type: 'none' }, joinedAt: at } }];
    }
    const open = [...state.conversations.values()].filter((c) => c.status !== 'closed');
    const r = this.rand();
    if (open.length === 0 || r < 0.1) {
      const as = pick(this.rand, SESSIONS);
      const others = SESSIONS.filter((s) => s !== as);
      const topic = pick(this.rand, ['pytorch version', 'Response shape?', 'über naming', 'x']);
      const id = conversationId(topic, new Uint8Array([this.n & 255, (this.n >> 8) & 255, 7, 9]));
      const outcome = decideOpen(state, {
        actor: { kind: 'session', session: as, host: this.hostOf(as) },
        id: state.conversations.has(id) ? `${id}-${this.n}` : id,
        topic,
        with: others.slice(0, 1 + Math.floor(this.rand() * others.length)),
        maxTurns: 3 + Math.floor(this.rand() * 10),
        body: body(this.rand),
        key: `k${this.n}`,
        at,
      });
      return outcome.kind === 'events' ? outcome.events : [];
    }
    const c = pick(this.rand, open);
    if (r < 0.2) {
      return [
        {
          type: 'receipt',
          at,
          receipt: {
            session: c.participants[0] as string,
            host: this.hostOf(c.participants[0] as string),
            conversation: c.id,
            turn: c.turns.length + 1,
            status: pick(this.rand, ['delivered', 'deferred', 'failed'] as const),
            reason: 'busy',
            attempt: 1,
          },
        },
      ];
    }
    const actor = { kind: 'session' as const, session: c.moderator, host: this.hostOf(c.moderator) };
    if (c.status !== 'in-progress' || r < 0.25) {
      if (c.status === 'at-limit' && this.rand() < 0.5) {
        const o = decideModerate(state, { actor, conversation: c.id, action: { type: 'extend', by: 2 }, at });
        return o.kind === 'events' ? o.events : [];
      }
      const o = decideClose(state, { actor, conversation: c.id, resolution: `resolved: ${body(this.rand).slice(0, 100)}`, at });
      return o.kind === 'events' ? o.events : [];
    }
    const speaker = sessionsToWake(c)[0] ?? c.moderator;
    const o = decidePost(state, {
      actor: { kind: 'session', session: speaker, host: this.hostOf(speaker) },
      conversation: c.id,
      expectedTurn: c.turns.length + 1,
      key: `k${this.n}`,
      body: body(this.rand),
      at,
      ...(this.rand() < 0.1 ? { propose: 'use 2.1.2' } : this.rand() < 0.2 && c.proposal ? { agree: true } : {}),
    });
    return o.kind === 'events' ? o.events : [];
  }
}
