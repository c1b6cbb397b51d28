// Conversations: open, read, post, moderate, close, with the rules' errors — each post sent over
// HTTP and again as a `post` frame on the host's agent link, with the same answers and errors.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderConversation } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { relays, type TestHost, type TestRelay } from '../../__fixtures__/harness.js';
import { POST_WAYS, postThrough, type PostWay } from '../../__fixtures__/post-ways.js';

const r = relays();

describe.each(POST_WAYS)('posting over %s', (way: PostWay) => {
  async function setup(): Promise<{ relay: TestRelay; linux: TestHost; win: TestHost; overLink: () => number }> {
    const relay = await r.start();
    const counts = postThrough(relay, way, (signer) => r.link(relay, signer));
    const linux = await relay.enroll('linux-box');
    const win = await relay.enroll('win-laptop');
    await relay.join(linux, 'codex-linux');
    await relay.join(linux, 'claude-linux');
    await relay.join(win, 'claude-win');
    return { relay, linux, win, overLink: () => counts.overLink };
  }

  describe('conversations', () => {
    it('opens one, answering once the event is on disk', async () => {
      const { relay, linux, overLink } = await setup();
      const res = await relay.request(linux.signer, 'POST', '/v1/conversations', {
        as: 'codex-linux',
        topic: 'PyTorch version sanity',
        with: ['claude-win'],
        body: 'What pytorch are you on?',
        idempotencyKey: 'open-1',
      });
      expect(res.status).toBe(201);
      const { conversation, turn, seq, duplicate } = res.body;
      expect(conversation).toEqual({
        id: expect.stringMatching(/^pytorch-version-sanity-[a-z0-9]{4}$/),
        topic: 'PyTorch version sanity',
        status: 'in-progress',
        participants: ['codex-linux', 'claude-win'],
        moderator: 'codex-linux',
        next: ['claude-win'],
        turns: 1,
        maxTurns: 20,
        openedBy: 'codex-linux',
        openedAt: turn.at,
        seq,
        updatedAt: turn.at,
      });
      expect(turn).toEqual({ n: 1, author: 'codex-linux', host: 'linux-box', at: expect.any(String), body: 'What pytorch are you on?', next: ['claude-win'] });
      expect(duplicate).toBe(false);
      const log = await readFile(join(relay.dataDir, 'events.log'), 'utf8');
      expect(log.trimEnd().split('\n').pop()).toContain(`"seq":${seq},"type":"conversation.opened"`);

      const again = await relay.request(linux.signer, 'POST', '/v1/conversations', {
        as: 'codex-linux',
        topic: 'PyTorch version sanity',
        with: ['claude-win'],
        body: 'What pytorch are you on?',
        idempotencyKey: 'open-1',
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ conversation, turn, seq, duplicate: true });
      // The way under test is the way taken.
      expect(overLink() > 0).toBe(way === 'link');
    });

    it('refuses bad opens', async () => {
      const { relay, linux } = await setup();
      const base = { as: 'codex-linux', topic: 't', with: ['claude-win'], body: 'b', idempotencyKey: 'k' };
      const cases: [Record<string, unknown>, number, string][] = [
        [{ with: ['codex-linux'] }, 422, 'TOO_FEW_PARTICIPANTS'],
        [{ with: ['ghost'] }, 404, 'SESSION_NOT_FOUND'],
        [{ as: 'ghost' }, 404, 'SESSION_NOT_FOUND'],
        [{ with: [] }, 400, 'INVALID_REQUEST'],
        [{ with: ['Bad Name'] }, 400, 'INVALID_NAME'],
        [{ topic: 'line\u0007bell' }, 422, 'INVALID_TEXT'],
        [{ maxTurns: 0 }, 400, 'INVALID_REQUEST'],
        [{ next: ['claude-linux'] }, 422, 'NOT_A_PARTICIPANT'],
      ];
      for (const [change, status, code] of cases) {
        const res = await relay.request(linux.signer, 'POST', '/v1/conversations', { ...base, ...change });
        expect([res.status, res.body.code], JSON.stringify(change)).toEqual([status, code]);
      }
      expect((await relay.request(linux.signer, 'GET', '/v1/conversations')).body.conversations).toEqual([]);
    });

    it("takes turns in order, with the rules' errors", async () => {
      const { relay, linux, win } = await setup();
      const id = await relay.open(linux, 'codex-linux', ['claude-win'], 'first', { maxTurns: 4 });
      const post = (host: TestHost, body: Record<string, unknown>) => relay.request(host.signer, 'POST', `/v1/conversations/${id}/turns`, body);

      const notYours = await post(linux, { as: 'claude-linux', expectedTurn: 2, idempotencyKey: 'a', body: 'me?' });
      expect([notYours.status, notYours.body.code]).toEqual([409, 'NOT_YOUR_TURN']);
      const stale = await post(win, { as: 'claude-win', expectedTurn: 1, idempotencyKey: 'b', body: 'late' });
      expect([stale.status, stale.body.code]).toEqual([409, 'TURN_CONFLICT']);

      const second = await post(win, { as: 'claude-win', expectedTurn: 2, idempotencyKey: 'c', body: '2.1.2', propose: 'pin 2.1.2' });
      expect(second.status).toBe(201);
      expect(second.body.turn).toMatchObject({ n: 2, author: 'claude-win', host: 'win-laptop', proposes: 'pin 2.1.2', next: ['codex-linux'] });
      expect(second.body.conversation).toMatchObject({ turns: 2, next: ['codex-linux'] });

      const reused = await relay.request(win.signer, 'POST', `/v1/conversations/${await relay.open(win, 'claude-win', ['codex-linux'])}/turns`, {
        as: 'claude-win',
        expectedTurn: 2,
        idempotencyKey: 'c',
        body: 'x',
      });
      expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

      const agree = await post(linux, { as: 'codex-linux', expectedTurn: 3, idempotencyKey: 'd', body: 'agreed', agree: true });
      expect(agree.status).toBe(201);
      expect(agree.body.conversation).toMatchObject({ status: 'converged', next: [] });
      const after = await post(win, { as: 'claude-win', expectedTurn: 4, idempotencyKey: 'e', body: 'more' });
      expect([after.status, after.body.code]).toEqual([409, 'CONVERSATION_CONVERGED']);

      const full = await relay.request(win.signer, 'GET', `/v1/conversations/${id}`);
      expect(full.body.conversation).toMatchObject({
        id,
        status: 'converged',
        decision: { text: 'pin 2.1.2', turn: 2, agreedBy: ['claude-win', 'codex-linux'] },
      });
      expect(full.body.conversation.turns.map((t: { n: number }) => t.n)).toEqual([1, 2, 3]);
      // A post's answer holds the conversation exactly as the list shows it.
      const listed = await relay.request(win.signer, 'GET', '/v1/conversations');
      expect(listed.body.conversations.find((c: { id: string }) => c.id === id)).toEqual(agree.body.conversation);
      const since = await relay.request(win.signer, 'GET', `/v1/conversations/${id}?since=2`);
      expect(since.body.conversation.turns.map((t: { n: number }) => t.n)).toEqual([3]);

      const md = await relay.request(win.signer, 'GET', `/v1/conversations/${id}/markdown`);
      expect(md.status).toBe(200);
      expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      expect(md.text).toBe(renderConversation(full.body.conversation));
    });

    it('hands the floor to the moderator at the limit, who extends, moderates and closes', async () => {
      const { relay, linux, win } = await setup();
      const id = await relay.open(linux, 'codex-linux', ['claude-win'], 'first', { maxTurns: 2 });
      const reply = await relay.request(win.signer, 'POST', `/v1/conversations/${id}/turns`, {
        as: 'claude-win',
        expectedTurn: 2,
        idempotencyKey: 'r',
        body: 'two',
      });
      expect(reply.body.conversation).toMatchObject({ status: 'at-limit', next: ['codex-linux'] });
      const limited = await relay.request(win.signer, 'POST', `/v1/conversations/${id}/turns`, {
        as: 'claude-win',
        expectedTurn: 3,
        idempotencyKey: 's',
        body: 'three',
      });
      expect([limited.status, limited.body.code]).toEqual([409, 'LIMIT_REACHED']);

      const moderate = (host: TestHost | null, body: unknown) =>
        relay.request(host ? host.signer : relay.admin, 'POST', `/v1/conversations/${id}/moderate`, body);
      const notMod = await moderate(win, { as: 'claude-win', action: { type: 'extend', by: 2 } });
      expect([notMod.status, notMod.body.code]).toEqual([403, 'NOT_MODERATOR']);
      const noAs = await moderate(linux, { action: { type: 'extend', by: 2 } });
      expect([noAs.status, noAs.body.code]).toEqual([400, 'INVALID_REQUEST']);
      const badAction = await moderate(linux, { as: 'codex-linux', action: { type: 'kick', session: 'claude-win' } });
      expect([badAction.status, badAction.body.code]).toEqual([400, 'INVALID_REQUEST']);

      const extended = await moderate(linux, { as: 'codex-linux', action: { type: 'extend', by: 2 } });
      expect(extended.status).toBe(200);
      expect(extended.body.conversation).toMatchObject({ status: 'in-progress', maxTurns: 4 });
      expect(extended.body.seq).toBe(extended.body.conversation.seq);

      const added = await moderate(null, { action: { type: 'add', session: 'claude-linux' } });
      expect(added.body.conversation.participants).toEqual(['codex-linux', 'claude-win', 'claude-linux']);
      const next = await moderate(linux, { as: 'codex-linux', action: { type: 'next', next: ['claude-linux'] } });
      expect(next.body.conversation.next).toEqual(['claude-linux']);

      const notModClose = await relay.request(win.signer, 'POST', `/v1/conversations/${id}/close`, { as: 'claude-win', resolution: 'no' });
      expect([notModClose.status, notModClose.body.code]).toEqual([403, 'NOT_MODERATOR']);
      const closed = await relay.request(linux.signer, 'POST', `/v1/conversations/${id}/close`, { as: 'codex-linux', resolution: 'settled on 2.1.2' });
      expect(closed.status).toBe(200);
      expect(closed.body.conversation).toMatchObject({ status: 'closed', next: [] });
      const twice = await relay.request(relay.admin, 'POST', `/v1/conversations/${id}/close`, { resolution: 'again' });
      expect([twice.status, twice.body.code]).toEqual([409, 'CONVERSATION_CLOSED']);
      const post = await relay.request(linux.signer, 'POST', `/v1/conversations/${id}/turns`, {
        as: 'codex-linux',
        expectedTurn: 3,
        idempotencyKey: 't',
        body: 'x',
      });
      expect([post.status, post.body.code]).toEqual([409, 'CONVERSATION_CLOSED']);
    });

    it('lists with filters and finds nothing where nothing is', async () => {
      const { relay, linux, win } = await setup();
      const a = await relay.open(linux, 'codex-linux', ['claude-win']);
      const b = await relay.open(linux, 'claude-linux', ['codex-linux']);
      await relay.request(linux.signer, 'POST', `/v1/conversations/${b}/close`, { as: 'claude-linux', resolution: 'done' });
      const list = async (q: string) => (await relay.request(win.signer, 'GET', `/v1/conversations${q}`)).body.conversations.map((c: { id: string }) => c.id);
      expect(await list('')).toEqual([b, a]);
      expect(await list('?status=closed')).toEqual([b]);
      expect(await list('?status=in-progress')).toEqual([a]);
      expect(await list('?participant=claude-win')).toEqual([a]);
      expect(await list('?participant=claude-linux&status=in-progress')).toEqual([]);
      const badStatus = await relay.request(win.signer, 'GET', '/v1/conversations?status=open');
      expect([badStatus.status, badStatus.body.code]).toEqual([400, 'INVALID_REQUEST']);
      const badName = await relay.request(win.signer, 'GET', '/v1/conversations?participant=NUL');
      expect([badName.status, badName.body.code]).toEqual([400, 'INVALID_NAME']);
      for (const path of ['/v1/conversations/nope-abcd', '/v1/conversations/nope-abcd/markdown', '/v1/conversations/nope-abcd/receipts']) {
        const res = await relay.request(win.signer, 'GET', path);
        expect([res.status, res.body.code], path).toEqual([404, 'CONVERSATION_NOT_FOUND']);
      }
      const badId = await relay.request(win.signer, 'GET', '/v1/conversations/..%2F..%2Fetc');
      expect(badId.status).toBeGreaterThanOrEqual(400);
      expect(badId.status).toBeLessThan(500);
      const badSince = await relay.request(win.signer, 'GET', `/v1/conversations/${a}?since=-2`);
      expect([badSince.status, badSince.body.code]).toEqual([400, 'INVALID_REQUEST']);
    });
  });
});
