// Frames the link sends in one turn of the event loop leave in one socket write, each still its
// own WebSocket message, in order; frames sent later go in a write of their own.
import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION, type ClientMessage } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { RelayLink } from './link.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let server: WebSocketServer | undefined;
let link: RelayLink | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await link?.stop();
  link = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A relay that welcomes the link and records every message it gets. */
async function welcomingRelay(): Promise<{ url: string; received: string[] }> {
  const received: string[] = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  server.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => {
      const text = String(data);
      received.push(text);
      if (JSON.parse(text).t === 'hello')
        ws.send(JSON.stringify({ t: 'welcome', protocol: PROTOCOL_VERSION, relayId: 'r', epoch: 'e', head: 0, resync: false }));
    });
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received };
}

const replay = (after: number): ClientMessage => ({ t: 'replay', after });

describe('link batching', () => {
  it('sends the frames of one tick in one socket write, each its own message, in order', async () => {
    const relay = await welcomingRelay();
    link = new RelayLink({
      relayUrl: relay.url,
      signer: { kid: 'h', mint: async () => 'token' },
      role: 'agent',
      hello: () => ({ epoch: null, cursor: 0 }),
      handlers: { onMessage() {}, onFatal() {} },
      log: quiet,
    });
    link.start();
    await waitFor('the link to be welcomed', () => link!.open);
    const writev = vi.spyOn(Socket.prototype, '_writev');
    const write = vi.spyOn(Socket.prototype, '_write');
    for (let i = 1; i <= 5; i++) expect(link.send(replay(i))).toBe(true);
    expect(link.sendText(JSON.stringify(replay(6)))).toBe(true);
    // Nothing has left yet: the socket is corked until the loop has run its pending I/O.
    expect(writev).not.toHaveBeenCalled();
    expect(write).not.toHaveBeenCalled();
    await waitFor('the relay to get the six frames', () => relay.received.length === 7);
    expect(writev).toHaveBeenCalledTimes(1);
    expect(write).not.toHaveBeenCalled();
    expect(relay.received.slice(1).map((m) => JSON.parse(m))).toEqual([1, 2, 3, 4, 5, 6].map(replay));

    // A frame sent later goes on its own.
    expect(link.send(replay(7))).toBe(true);
    await waitFor('the relay to get the seventh frame', () => relay.received.length === 8);
    expect(writev.mock.calls.length + write.mock.calls.length).toBe(2);
  });

  it('sends nothing while the link is not welcomed', () => {
    link = new RelayLink({
      relayUrl: 'http://127.0.0.1:9',
      signer: { kid: 'h', mint: async () => 'token' },
      role: 'agent',
      hello: () => ({ epoch: null, cursor: 0 }),
      handlers: { onMessage() {}, onFatal() {} },
      log: quiet,
    });
    expect(link.sendText('{"t":"replay","after":1}')).toBe(false);
  });
});
