// The body limit, for bodies announced with Content-Length and for chunked ones, against a
// running relay.
import { request } from 'node:http';
import { LIMITS } from '@crosstalk/core';
import { describe, expect, it } from 'vitest';
import { relays, type TestRelay } from '../__fixtures__/harness.js';

const r = relays();

/** Sends `chunks` as a chunked body (no Content-Length). */
async function chunked(relay: TestRelay, path: string, authorization: string, chunks: string[]): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(relay.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: 'POST', headers: { authorization, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('the body limit', () => {
  it('refuses a body announced larger than the limit, and takes one at the limit', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const padding = ' '.repeat(LIMITS.httpBodyBytes - JSON.stringify({ name: 'codex-linux', kind: 'other', wake: { type: 'none' } }).length);
    const atLimit = `${JSON.stringify({ name: 'codex-linux', kind: 'other', wake: { type: 'none' } })}${padding}`;
    expect(Buffer.byteLength(atLimit)).toBe(LIMITS.httpBodyBytes);
    expect((await relay.request(host.signer, 'POST', '/v1/sessions', atLimit)).status).toBe(201);
    const over = await relay.request(host.signer, 'POST', '/v1/sessions', `${atLimit} `);
    expect([over.status, over.body.code]).toEqual([413, 'BODY_TOO_LARGE']);
  });

  it('counts a chunked body as it arrives', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    const small = await chunked(relay, '/v1/sessions', `Bearer ${await host.signer.mint()}`, [
      '{"name":"codex-linux",',
      '"kind":"other","wake":{"type":"none"}}',
    ]);
    expect(small.status).toBe(201);
    const big = await chunked(relay, '/v1/sessions', `Bearer ${await host.signer.mint()}`, [
      '{"name":"claude-linux","kind":"other","wake":{"type":"none"},"x":"',
      'y'.repeat(LIMITS.httpBodyBytes),
      '"}',
    ]);
    expect([big.status, big.body.code]).toEqual([413, 'BODY_TOO_LARGE']);
    const sessions = await relay.request(host.signer, 'GET', '/v1/sessions');
    expect(sessions.body.sessions.map((s: { name: string }) => s.name)).toEqual(['codex-linux']);
  });
});
