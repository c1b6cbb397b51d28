// Clients that are slow or go away: a socket that never finishes its headers is closed after the
// documented 10 s (docs/RELAY.md), not whenever node's 30 s sweep comes round; a client that hangs
// up in the middle of its body is a debug-level disconnect, not an error with a stack trace.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { relays } from '../__fixtures__/harness.js';

const r = relays();

async function socketTo(url: string): Promise<Socket> {
  const u = new URL(url);
  const s = connect(Number(u.port), u.hostname);
  await new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject));
  return s;
}

const entries = (logs: string[]) => logs.map((l) => JSON.parse(l) as { level: number; msg: string; err?: unknown });

describe('slow and vanishing clients', () => {
  it('closes a socket whose headers are not complete after 10 s (within a second of it)', { timeout: 30_000 }, async () => {
    const relay = await r.start();
    const s = await socketTo(relay.url);
    const started = Date.now();
    s.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n');
    const closedAfter = await new Promise<number>((resolve) => {
      s.on('data', () => undefined);
      s.once('close', () => resolve(Date.now() - started));
      setTimeout(() => resolve(Number.POSITIVE_INFINITY), 20_000).unref();
    });
    s.destroy();
    expect(closedAfter).toBeGreaterThanOrEqual(9_500);
    expect(closedAfter).toBeLessThanOrEqual(11_500);
  });

  it('logs a client hanging up mid-body at debug level, without an error or a stack', async () => {
    const relay = await r.start();
    const s = await socketTo(relay.url);
    const token = await relay.admin.mint();
    s.write(`POST /v1/invites HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"host":`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    s.destroy();
    const deadline = Date.now() + 5_000;
    while (!entries(relay.logs).some((e) => e.msg === 'client hung up mid-request') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    const logged = entries(relay.logs);
    expect(logged.find((e) => e.msg === 'client hung up mid-request')?.level).toBe(20);
    expect(logged.filter((e) => e.level >= 40 || e.err !== undefined)).toEqual([]);
    // The relay still answers.
    expect((await relay.request(relay.admin, 'GET', '/v1/hosts')).status).toBe(200);
  });
});
