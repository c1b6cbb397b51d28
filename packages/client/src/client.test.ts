import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrosstalkError, PROTOCOL_VERSION } from '@crosstalk/core';
import { key, TestRelay, type Host } from './__fixtures__/relay.js';
import { createRelayClient } from './client.js';

let lab: TestRelay;
let alpha: Host;
let beta: Host;

beforeAll(async () => {
  lab = await TestRelay.start();
  alpha = await lab.host('alpha');
  beta = await lab.host('beta');
  await alpha.client.registerSession({ name: 'sa', kind: 'codex', wake: { type: 'none' } });
  await beta.client.registerSession({ name: 'sb', kind: 'claude-code', wake: { type: 'tmux', pane: '%3', socket: '/tmp/tmux-1000/default' } });
  await beta.client.registerSession({ name: 'sc', kind: 'other', wake: { type: 'none' } });
});
afterAll(async () => {
  await lab?.cleanup();
});

async function failure(p: Promise<unknown>): Promise<CrosstalkError> {
  const err = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrosstalkError);
  return err as CrosstalkError;
}

/** A stand-in server for answers no relay gives: huge, silent, or not JSON. */
async function oddServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('relay client', () => {
  it('speaks every route, signing each request afresh', async () => {
    const health = await alpha.client.health();
    expect(health).toMatchObject({ ok: true, relayId: lab.relay.relayId, protocol: PROTOCOL_VERSION });

    const hosts = await alpha.client.listHosts();
    expect(hosts.hosts.map((h) => h.name).sort()).toEqual(['alpha', 'beta']);
    const sessions = await beta.client.listSessions();
    expect(sessions.sessions.find((s) => s.name === 'sb')).toMatchObject({ host: 'beta', kind: 'claude-code', wake: { type: 'tmux' } });

    const opened = await alpha.client.openConversation({ as: 'sa', topic: 'Which port?', with: ['sb'], body: 'Use 7717?', idempotencyKey: key() });
    expect(opened).toMatchObject({ duplicate: false, turn: { n: 1, author: 'sa', host: 'alpha' }, conversation: { next: ['sb'], turns: 1 } });
    const id = opened.conversation.id;
    const reply = await beta.client.postTurn(id, { as: 'sb', expectedTurn: 2, idempotencyKey: 'r-1', body: 'Yes.', propose: 'port 7717' });
    expect(reply.turn).toMatchObject({ n: 2, author: 'sb', proposes: 'port 7717' });
    const again = await beta.client.postTurn(id, { as: 'sb', expectedTurn: 2, idempotencyKey: 'r-1', body: 'Yes.', propose: 'port 7717' });
    expect(again.duplicate).toBe(true);

    expect((await alpha.client.listConversations({ participant: 'sb' })).conversations.map((c) => c.id)).toContain(id);
    expect((await alpha.client.getConversation(id, { since: 1 })).conversation.turns.map((t) => t.n)).toEqual([2]);
    expect(await alpha.client.getMarkdown(id)).toMatch(/^---\nid: "/);

    const moderated = await alpha.client.moderate(id, { as: 'sa', action: { type: 'extend', by: 5 } });
    expect(moderated.conversation.maxTurns).toBe(25);
    const receipt = await beta.client.postReceipt({ session: 'sb', conversation: id, turn: 3, status: 'deferred', reason: 'copy-mode', attempt: 1 });
    expect(receipt.seq).toBeGreaterThan(0);
    expect((await alpha.client.listReceipts(id)).receipts).toEqual([
      expect.objectContaining({ session: 'sb', host: 'beta', turn: 3, status: 'deferred', reason: 'copy-mode', seq: receipt.seq }),
    ]);
    const closed = await alpha.client.close(id, { as: 'sa', resolution: 'settled on 7717' });
    expect(closed.conversation.status).toBe('closed');

    const page = await alpha.client.events(0, { limit: 3 });
    expect(page.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(page.head).toBe(closed.seq);

    const temp = await lab.host('gamma');
    await temp.client.registerSession({ name: 'sg', kind: 'other', wake: { type: 'none' } });
    expect((await temp.client.unregisterSession('sg')).session.name).toBe('sg');
    await lab.admin.revokeHost('gamma');
    expect((await failure(temp.client.health().then(() => temp.client.listHosts()))).code).toBe('HOST_REVOKED');
  });

  it('turns relay refusals back into their errors', async () => {
    const opened = await alpha.client.openConversation({ as: 'sa', topic: 'turns', with: ['sb', 'sc'], body: 'one', idempotencyKey: key() });
    const id = opened.conversation.id;
    const notYours = await failure(beta.client.postTurn(id, { as: 'sc', expectedTurn: 2, idempotencyKey: key(), body: 'me first' }));
    expect(notYours).toMatchObject({ code: 'NOT_YOUR_TURN', status: 409 });
    expect(notYours.hint).toMatch(/crosstalk wait/);
    expect((await failure(beta.client.postTurn(id, { as: 'sb', expectedTurn: 5, idempotencyKey: key(), body: 'x' }))).code).toBe('TURN_CONFLICT');
    expect((await failure(alpha.client.postTurn(id, { as: 'sb', expectedTurn: 2, idempotencyKey: key(), body: 'x' }))).code).toBe('SESSION_NOT_OWNED');
    expect((await failure(alpha.client.createInvite())).code).toBe('ADMIN_REQUIRED');
    expect((await failure(createRelayClient({ relayUrl: lab.url }).listHosts())).code).toBe('NOT_ENROLLED');
    expect((await failure(alpha.client.getConversation('../etc'))).code).toBe('INVALID_NAME');
  });

  it('says where the relay is not reachable, and bounds time and size', async () => {
    const gone = await oddServer(() => {});
    await gone.close();
    const refused = await failure(createRelayClient({ relayUrl: gone.url }).health());
    expect(refused.code).toBe('RELAY_UNREACHABLE');
    expect(refused.message).toBe(`relay unreachable at ${gone.url} (ECONNREFUSED)`);
    expect(refused.hint).toBe('the relay runs on this machine: start it with `crosstalk up` (relay and agent together) or `crosstalk relay serve`');

    const silent = await oddServer(() => {});
    try {
      const timedOut = await failure(createRelayClient({ relayUrl: silent.url, timeoutMs: 300 }).health());
      expect(timedOut.code).toBe('RELAY_UNREACHABLE');
      expect(timedOut.message).toMatch(/no answer within 0.3 s/);
    } finally {
      await silent.close();
    }

    const huge = await oddServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"ok":true,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    });
    try {
      expect((await failure(createRelayClient({ relayUrl: huge.url }).health())).message).toMatch(/larger than 1048576 bytes/);
    } finally {
      await huge.close();
    }

    const proxy = await oddServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    try {
      expect(await failure(createRelayClient({ relayUrl: proxy.url }).health())).toMatchObject({ code: 'INTERNAL', message: 'relay answered 502' });
    } finally {
      await proxy.close();
    }
  });
});
