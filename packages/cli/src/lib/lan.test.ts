// Which URL `relay invite` prints, probed against a stand-in relay on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinUrlFor } from './lan.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, relayId: 'relay-one', epoch: 'epoch-one', protocol: 2, version: '0.1.0', head: 0, time: new Date().toISOString() }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the relay URL for another machine', () => {
  it('uses the LAN address when the same relay answers there (it listens on every interface)', async () => {
    // 127.0.0.1 stands in for the LAN address: the test stays on loopback.
    const url = await joinUrlFor(`http://localhost:${port}`, 'relay-one', '127.0.0.1', false);
    expect(url.url).toBe(`http://127.0.0.1:${port}`);
    expect(url.note).toContain('listens on every interface');
    expect(url.note).toContain('pass --url');
  });

  it('keeps the loopback URL and says other machines cannot reach it otherwise', async () => {
    const other = await joinUrlFor(`http://localhost:${port}`, 'another-relay', '127.0.0.1', false);
    expect(other.url).toBe(`http://localhost:${port}`);
    expect(other.note).toContain('listens only on this machine');
    const noLan = await joinUrlFor(`http://127.0.0.1:${port}`, 'relay-one', undefined, false);
    expect(noLan.url).toBe(`http://127.0.0.1:${port}`);
    expect(noLan.note).toContain('--host 0.0.0.0');
  });

  it('keeps a URL that already names a reachable address', async () => {
    expect(await joinUrlFor('http://192.168.1.10:7717', 'relay-one', '127.0.0.1', false)).toEqual({ url: 'http://192.168.1.10:7717' });
  });

  it('warns inside a container that its own address may be of no use to other machines', async () => {
    // The same relay answers on the "LAN" address, as it would on the container's own network.
    const url = await joinUrlFor(`http://127.0.0.1:${port}`, 'relay-one', '127.0.0.1', true);
    expect(url.url).toBe(`http://127.0.0.1:${port}`);
    expect(url.note).toContain("127.0.0.1 is the container's own address");
    expect(url.note).toContain('CROSSTALK_PUBLIC_URL');
  });
});
