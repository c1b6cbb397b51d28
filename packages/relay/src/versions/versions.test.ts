// Mixed versions: an agent and a CLI of the previous protocol (the fixture in
// __fixtures__/protocol-v2.ts) work against this relay and never see an event kind they do not
// know; one older or newer than the relay serves is refused with both versions named.
import { EVENT_KIND_SINCE, PROTOCOL_HEADER, PROTOCOL_VERSION, WITHHELD_INVITE } from '@crosstalk/core';
import { generateEd25519 } from '@crosstalk/core/token';
import { waitFor } from '@crosstalk/core/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { relays } from '../__fixtures__/harness.js';
import { V2_EVENT_KINDS, V2Agent, v2Request } from '../__fixtures__/protocol-v2.js';

const r = relays();
const agents: V2Agent[] = [];
afterEach(() => {
  for (const a of agents.splice(0)) a.close();
});

async function setup() {
  const relay = await r.start();
  const linux = await relay.enroll('linux-box');
  const win = await relay.enroll('win-laptop');
  await relay.join(linux, 'codex-linux');
  await relay.join(win, 'claude-win');
  return { relay, linux, win };
}

describe('a peer one protocol version behind', () => {
  it('the version table names every kind version 2 had as older than 3', () => {
    expect(PROTOCOL_VERSION).toBe(3);
    for (const kind of V2_EVENT_KINDS) expect([kind, EVENT_KIND_SINCE[kind as keyof typeof EVENT_KIND_SINCE]]).toEqual([kind, 1]);
    const newer = Object.entries(EVENT_KIND_SINCE).filter(([, since]) => since > 2);
    expect(newer.length).toBeGreaterThan(0);
  });

  it('a version-2 agent and CLI work, and events of newer kinds reach them as same-seq stand-ins', async () => {
    const { relay, linux, win } = await setup();
    const old = await V2Agent.connect(relay.url, linux.signer);
    agents.push(old);
    const current = await r.link(relay, win.signer);
    await waitFor('the welcome', () => old.welcome);
    expect(old.welcome).toMatchObject({ t: 'welcome', protocol: 2, head: expect.any(Number) });
    expect((await current.welcome()).protocol).toBe(PROTOCOL_VERSION);

    // The old CLI: health speaks 2 to it, and it opens and posts with its version-2 bodies.
    const health = await v2Request(relay.url, null, 'GET', '/v1/health');
    expect(health.body).toMatchObject({ protocol: 2, protocols: [2, 3] });
    expect(health.headers.get(PROTOCOL_HEADER)).toBe('2');
    const opened = await v2Request(relay.url, linux.signer, 'POST', '/v1/conversations', {
      as: 'codex-linux',
      topic: 'old and new',
      with: ['claude-win'],
      body: 'from a version-2 CLI',
      idempotencyKey: 'v2-open-1',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.conversation.id as string;

    // A kind version 2 never had: the current host rotates its key.
    const { publicJwk } = await generateEd25519();
    const rotated = await relay.request(win.signer, 'POST', '/v1/hosts/win-laptop/key', { publicKey: publicJwk });
    expect(rotated.status).toBe(200);
    const rotationSeq = rotated.body.seq as number;

    const reply = await v2Request(relay.url, linux.signer, 'POST', `/v1/conversations/${id}/turns`, {
      as: 'codex-linux',
      expectedTurn: 2,
      idempotencyKey: 'v2-post-2',
      body: 'the moderator may always post',
    });
    expect(reply.status).toBe(201);
    const head = reply.body.seq as number;

    await old.caughtUp(head);
    expect(old.failures).toEqual([]);
    expect(old.received.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    const standIn = old.received.find((e) => e.seq === rotationSeq);
    expect(standIn).toMatchObject({ type: 'invite.created', invite: WITHHELD_INVITE, host: null });
    expect(old.state.conversations.get(id)?.turns.map((t) => t.body)).toEqual(['from a version-2 CLI', 'the moderator may always post']);

    // The current link sees the event itself.
    await current.waitForSeq(head);
    expect(current.events.find((e) => e.seq === rotationSeq)?.type).toBe('host.key-rotated');

    // The log over HTTP: the old CLI gets the stand-in, a current one the event.
    const oldPage = await v2Request(relay.url, linux.signer, 'GET', '/v1/events?after=0');
    expect(oldPage.body.events.every((e: { type: string }) => V2_EVENT_KINDS.has(e.type))).toBe(true);
    expect(oldPage.body.events.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    const newPage = await relay.request(linux.signer, 'GET', '/v1/events?after=0');
    expect(newPage.body.events.find((e: { seq: number }) => e.seq === rotationSeq).type).toBe('host.key-rotated');
    expect(newPage.headers.get(PROTOCOL_HEADER)).toBe(String(PROTOCOL_VERSION));
  });

  it('a version-3 peer gets a withheld event for a kind newer than it (the rule the next version relies on)', async () => {
    const { eventForPeer } = await import('@crosstalk/core');
    const event = { seq: 7, at: '2026-12-06T00:00:00.000Z', type: 'host.key-rotated' } as unknown as Parameters<typeof eventForPeer>[0];
    expect(eventForPeer(event, 3)).toBe(event);
    expect(eventForPeer({ ...event, type: 'from.the-future' } as unknown as typeof event, 3)).toEqual({
      seq: 7,
      at: '2026-12-06T00:00:00.000Z',
      type: 'withheld',
      kind: 'from.the-future',
    });
  });
});

describe('a peer the relay does not serve', () => {
  it('a too-old agent and CLI get PROTOCOL_TOO_OLD naming both versions and what to upgrade', async () => {
    const { relay, linux } = await setup();
    const ancient = await V2Agent.connect(relay.url, linux.signer, { protocol: 1 });
    agents.push(ancient);
    await waitFor('the refusal', () => ancient.closeCode);
    expect(ancient.closeCode).toBe(4003);
    expect(ancient.errors[0]?.code).toBe('PROTOCOL_TOO_OLD');
    expect(ancient.errors[0]?.message).toMatch(/serves protocol 2 and 3; this client speaks protocol 1: upgrade crosstalk on the client's machine/);

    const cli = await relay.request(linux.signer, 'GET', '/v1/sessions', undefined, { [PROTOCOL_HEADER]: '1' });
    expect(cli.status).toBe(426);
    expect(cli.body).toMatchObject({ code: 'PROTOCOL_TOO_OLD', details: { client: 1, oldest: 2, current: 3 } });
  });

  it('a too-new agent and CLI get PROTOCOL_TOO_NEW: upgrade the relay', async () => {
    const { relay, linux } = await setup();
    const future = await V2Agent.connect(relay.url, linux.signer, { protocol: PROTOCOL_VERSION + 1 });
    agents.push(future);
    await waitFor('the refusal', () => future.closeCode);
    expect(future.errors[0]).toMatchObject({ code: 'PROTOCOL_TOO_NEW', message: expect.stringMatching(/speaks protocol 4: upgrade the relay/) });
    const cli = await relay.request(linux.signer, 'GET', '/v1/sessions', undefined, { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION + 1) });
    expect([cli.status, cli.body.code]).toEqual([426, 'PROTOCOL_TOO_NEW']);
    // Health still answers, saying what the relay serves.
    const health = await relay.request(null, 'GET', '/v1/health', undefined, { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION + 1) });
    expect(health.body).toMatchObject({ protocol: PROTOCOL_VERSION, protocols: [2, 3] });
    const garbage = await relay.request(linux.signer, 'GET', '/v1/sessions', undefined, { [PROTOCOL_HEADER]: 'three' });
    expect([garbage.status, garbage.body.code]).toEqual([400, 'INVALID_REQUEST']);
  });
});
