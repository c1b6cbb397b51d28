import { describe, expect, it } from 'vitest';
import { decideClose, decideModerate, decideOpen, decidePost } from '../rules/index.js';
import {
  ClientMessageSchema,
  isConversationStatus,
  isSessionKind,
  OpenRequestSchema,
  PostAnswerSchema,
  PostRequestSchema,
  RelayEventSchema,
  ServerMessageSchema,
  SessionAnswerSchema,
  WakeTargetSchema,
} from './index.js';
import { MemoryRelay } from '../test-support.js';

describe('schemas', () => {
  it('accept every event the rules produce (types and schemas agree)', () => {
    const r = new MemoryRelay();
    r.register('a', 'h1');
    r.register('b', 'h2');
    const actorA = { kind: 'session' as const, session: 'a', host: 'h1' };
    r.commit(decideOpen(r.state, { actor: actorA, id: 'c-1', topic: 'Topic ✓', with: ['b'], body: 'one', key: 'k1', at: r.now() }));
    r.commit(
      decidePost(r.state, {
        actor: { kind: 'session', session: 'b', host: 'h2' },
        conversation: 'c-1',
        expectedTurn: 2,
        key: 'k2',
        body: 'two',
        propose: 'do it',
        at: r.now(),
      }),
    );
    r.commit(decidePost(r.state, { actor: actorA, conversation: 'c-1', expectedTurn: 3, key: 'k3', body: 'yes', agree: true, at: r.now() }));
    r.commit(decideModerate(r.state, { actor: actorA, conversation: 'c-1', action: { type: 'extend', by: 2 }, at: r.now() }));
    r.commit(decideClose(r.state, { actor: { kind: 'admin' }, conversation: 'c-1', resolution: 'done', at: r.now() }));
    r.append({
      type: 'receipt',
      at: r.now(),
      receipt: { session: 'a', host: 'h1', conversation: 'c-1', turn: 3, status: 'deferred', reason: 'copy-mode', attempt: 1 },
    });
    r.append({ type: 'host.enrolled', at: r.now(), host: 'h3', publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) }, invite: 'abc' });
    r.append({ type: 'invite.created', at: r.now(), invite: 'abc', hash: 'f'.repeat(64), host: null, expiresAt: r.now() });
    for (const e of JSON.parse(JSON.stringify(r.log))) {
      const parsed = RelayEventSchema.safeParse(e);
      expect(parsed.success, `${e.type}: ${parsed.error?.message}`).toBe(true);
    }
    expect(ServerMessageSchema.safeParse({ t: 'events', events: JSON.parse(JSON.stringify(r.log)) }).success).toBe(true);
  });
  it('refuse unknown fields, wrong types, bad names and huge numbers', () => {
    const ok = { as: 'a', expectedTurn: 2, idempotencyKey: 'k', body: 'x' };
    expect(PostRequestSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      { ...ok, extra: 1 },
      { ...ok, expectedTurn: 2.5 },
      { ...ok, expectedTurn: -1 },
      { ...ok, expectedTurn: 1e300 },
      { ...ok, as: 'A' },
      { ...ok, as: '../x' },
      { ...ok, body: 5 },
      { ...ok, body: 'a\u0000' },
      { ...ok, idempotencyKey: '' },
      { ...ok, agree: 'yes' },
      null,
      [],
      'string',
    ]) {
      expect(PostRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(OpenRequestSchema.safeParse({ as: 'a', topic: 't', with: [], body: 'b', idempotencyKey: 'k' }).success).toBe(false);
  });
  it('check wake targets and client messages', () => {
    expect(WakeTargetSchema.safeParse({ type: 'tmux', pane: '%12', socket: '/tmp/tmux-1000/default', panePid: 42, agentCommand: 'claude' }).success).toBe(true);
    expect(WakeTargetSchema.safeParse({ type: 'tmux', pane: 'main:0.1', socket: '/tmp/s' }).success).toBe(false);
    expect(WakeTargetSchema.safeParse({ type: 'tmux', pane: '%1', socket: '/tmp/s', agentCommand: 'a;rm' }).success).toBe(false);
    expect(ClientMessageSchema.safeParse({ t: 'hello', protocol: 2, role: 'agent', epoch: null, cursor: 0 }).success).toBe(true);
    expect(ClientMessageSchema.safeParse({ t: 'hello', protocol: 2, role: 'root', epoch: null, cursor: 0 }).success).toBe(false);
    expect(ClientMessageSchema.safeParse({ t: 'nope' }).success).toBe(false);
    expect(
      ClientMessageSchema.safeParse({ t: 'receipt', receipt: { session: 's', conversation: 'c', turn: 1, status: 'delivered', attempt: 1, reason: 'x\u001b' } })
        .success,
    ).toBe(false);
  });

  it('drop fields an answer does not know, and still check what it carries whole', () => {
    const joinedAt = '2026-05-01T10:00:00.000Z';
    const registered = {
      session: { name: 's', host: 'h', kind: 'codex', wake: { type: 'tmux', pane: '%1', socket: '/tmp/s' }, joinedAt },
      from: 'a newer relay',
    };
    expect(SessionAnswerSchema.parse(registered)).toEqual({ session: { name: 's', host: 'h', kind: 'codex', wake: { type: 'tmux' }, joinedAt } });
    const r = new MemoryRelay();
    r.register('a', 'h1');
    r.register('b', 'h2');
    r.commit(
      decideOpen(r.state, { actor: { kind: 'session', session: 'a', host: 'h1' }, id: 'c-1', topic: 't', with: ['b'], body: 'one', key: 'k1', at: r.now() }),
    );
    const c = r.state.conversations.get('c-1');
    const summary = {
      id: 'c-1',
      topic: 't',
      status: 'in-progress',
      participants: ['a', 'b'],
      moderator: 'a',
      next: ['b'],
      turns: 1,
      maxTurns: 20,
      openedBy: 'a',
      openedAt: c?.openedAt,
      seq: 3,
      updatedAt: c?.openedAt,
    };
    const answer = { conversation: summary, turn: c?.turns[0], seq: 3, duplicate: false };
    expect(PostAnswerSchema.safeParse(answer).success).toBe(true);
    expect(PostAnswerSchema.safeParse({ ...answer, turn: { ...c?.turns[0], extra: 1 } }).success).toBe(false);
  });

  it('tell vocabulary words from other strings', () => {
    expect(['claude-code', 'codex', 'other', 'human'].every(isSessionKind)).toBe(true);
    expect([undefined, '', 'Codex', 'claude'].some(isSessionKind)).toBe(false);
    expect(['in-progress', 'at-limit', 'converged', 'closed'].every(isConversationStatus)).toBe(true);
    expect(['open', 'CLOSED', 3].some(isConversationStatus)).toBe(false);
  });
});
