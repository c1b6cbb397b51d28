// followConversation against a real relay on 127.0.0.1 (port 0): events come over the watch
// link; when the relay refuses the link, polling takes over.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll, homeLayout, RelayLink, readHostKey } from '@crosstalk/agent';
import { adminClient, createRelayClient, type RelayClient } from '@crosstalk/client';
import type { Conversation } from '@crosstalk/core';
import { tokenSigner, type TokenSigner } from '@crosstalk/core/token';
import { readAdminKey, startRelay, type RunningRelay } from '@crosstalk/relay';
import { followConversation } from './follow.js';

let dir: string;
let relay: RunningRelay;
let client: RelayClient;
let signer: TokenSigner;
const relayLogs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-follow-'));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      relayLogs.push(chunk.toString());
      done();
    },
  });
  relay = await startRelay({ dataDir: join(dir, 'relay'), port: 0, logDestination: sink, rateLimit: false });
  const admin = await adminClient({ relayUrl: relay.url, adminKey: await readAdminKey(join(dir, 'relay')), relayId: relay.relayId });
  const layout = homeLayout(join(dir, 'home'));
  await enroll({ relayUrl: relay.url, invite: (await admin.createInvite({ host: 'h1' })).invite, host: 'h1', layout });
  signer = await tokenSigner(await readHostKey(layout.hostKey), 'h1', relay.relayId);
  client = createRelayClient({ relayUrl: relay.url, signer });
  for (const name of ['a', 'b']) await client.registerSession({ name, kind: 'other', wake: { type: 'none' } });
});
afterAll(async () => {
  await relay?.close();
  await rm(dir, { recursive: true, force: true });
});

let keyCounter = 0;
const key = () => `follow-test-${++keyCounter}`;

async function openTalk(topic: string): Promise<string> {
  return (await client.openConversation({ as: 'a', topic, with: ['b'], body: 'first', idempotencyKey: key() })).conversation.id;
}

/** Follows until `until` holds; returns every state seen (copied). */
async function follow(id: string, until: (c: Conversation) => boolean, pollMs: number, whileFollowing: () => Promise<void>): Promise<Conversation[]> {
  const seen: Conversation[] = [];
  let started!: () => void;
  const first = new Promise<void>((r) => (started = r));
  const done = followConversation({
    client,
    signer,
    id,
    pollMs,
    onUpdate: (c) => {
      seen.push(structuredClone(c));
      started();
      return until(c);
    },
  });
  await first;
  await whileFollowing();
  const how = await Promise.race([done, new Promise((r) => setTimeout(() => r('timed out'), 20_000))]);
  expect(how, relayLogs.join('').slice(-5000)).toBe('done');
  return seen;
}

describe('followConversation', () => {
  it('delivers turns, moderation and the close through the watch link', async () => {
    const id = await openTalk('live link');
    // Polling every hour: only the link can deliver within the test.
    const seen = await follow(
      id,
      (c) => c.status === 'closed',
      3_600_000,
      async () => {
        await client.postTurn(id, { as: 'b', expectedTurn: 2, idempotencyKey: key(), body: 'second' });
        await client.moderate(id, { as: 'a', action: { type: 'extend', by: 5 } });
        await client.close(id, { as: 'a', resolution: 'done' });
      },
    );
    expect(seen[0]?.turns).toHaveLength(1);
    const last = seen.at(-1) as Conversation;
    expect(last.turns.map((t) => t.body)).toEqual(['first', 'second']);
    expect(last.maxTurns).toBe(25);
    expect(last.notes).toHaveLength(1);
    expect(last.resolution?.text).toBe('done');
    expect(last).toEqual((await client.getConversation(id)).conversation);
  });

  it('ends at once when the first look already answers', async () => {
    const id = await openTalk('already there');
    let calls = 0;
    const how = await followConversation({ client, signer, id, onUpdate: () => ++calls > 0 });
    expect(how).toBe('done');
    expect(calls).toBe(1);
  });

  it('polls when the relay refuses the link (every watch slot of the host taken)', async () => {
    const id = await openTalk('no link');
    const hogs: RelayLink[] = [];
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    for (let i = 0; i < 8; i++) {
      const link = new RelayLink({
        relayUrl: relay.url,
        signer,
        role: 'watch',
        hello: () => ({ epoch: null, cursor: 1_000_000 }),
        log,
        handlers: { onMessage() {}, onFatal() {} },
      });
      link.start();
      hogs.push(link);
    }
    const deadline = Date.now() + 10_000;
    while (hogs.some((l) => !l.open) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(hogs.every((l) => l.open)).toBe(true);
    // A ninth watch link is refused, so the follower below cannot have one either.
    const refused = await new Promise<boolean>((resolve) => {
      const probe: RelayLink = new RelayLink({
        relayUrl: relay.url,
        signer,
        role: 'watch',
        hello: () => ({ epoch: null, cursor: 1_000_000 }),
        log,
        handlers: { onMessage() {}, onFatal() {}, onDisconnect: () => void probe.stop().then(() => resolve(true)) },
      });
      probe.start();
      setTimeout(() => void probe.stop().then(() => resolve(false)), 10_000);
    });
    expect(refused).toBe(true);
    try {
      const seen = await follow(
        id,
        (c) => c.turns.length === 2,
        100,
        async () => {
          await client.postTurn(id, { as: 'b', expectedTurn: 2, idempotencyKey: key(), body: 'polled' });
        },
      );
      expect(seen.at(-1)?.turns.at(-1)?.body).toBe('polled');
    } finally {
      await Promise.all(hogs.map((l) => l.stop()));
    }
  });

  it('stops when aborted', async () => {
    const id = await openTalk('aborted');
    const controller = new AbortController();
    const done = followConversation({ client, signer, id, signal: controller.signal, onUpdate: () => false });
    setTimeout(() => controller.abort(), 200);
    expect(await done).toBe('aborted');
  });
});
