// deploy/healthcheck.mjs, the image's HEALTHCHECK, run with node: against local servers that
// answer well, badly or not at all, and against a real relay before and after it stops.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE, Procs, RELAY_MAIN, RelayProc, repoFile, runToEnd } from '../harness/index.js';

const SCRIPT = repoFile('deploy/healthcheck.mjs');

const servers: Server[] = [];
const procs = new Procs();
let dataDir: string | undefined;
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await procs.stopAll();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/health`;
}

const json =
  (status: number, body: unknown): RequestListener =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

const check = async (...args: string[]) => {
  const r = await runToEnd(NODE, [SCRIPT, ...args]);
  return { code: r.exitCode, output: r.stdout + r.stderr };
};

describe('deploy/healthcheck.mjs', () => {
  it('is healthy when the relay answers 200 {ok: true, relayId}', async () => {
    const url = await serve(json(200, { ok: true, relayId: 'r1', epoch: 'e1', protocol: 2, version: '0.1.0', head: 42, time: '2026-11-21T00:00:00Z' }));
    const r = await check(url);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toBe('healthy: relay r1, epoch e1, head 42\n');
  });

  it('asks GET /v1/health on 127.0.0.1:7717 when given no URL', async () => {
    // A test cannot own port 7717; whatever runs there (usually nothing) decides the outcome.
    const r = await check('--timeout-ms', '2000');
    if (r.code === 0) expect(r.output).toMatch(/^healthy: relay /);
    else expect(r.output).toMatch(/^unhealthy: http:\/\/127\.0\.0\.1:7717\/v1\/health: /);
  });

  it('is unhealthy for an error status, a body that is not JSON or not ok, or one too large', async () => {
    const cases: Array<[RequestListener, RegExp]> = [
      [json(503, { code: 'SHUTTING_DOWN' }), /HTTP 503/],
      [json(200, '<html>proxy error</html>'), /not JSON/],
      [json(200, { ok: false, relayId: 'r1' }), /does not say ok/],
      [json(200, { ok: true }), /does not say ok/],
      [json(200, 'null'), /does not say ok/],
      [json(200, `{"ok":true,"relayId":"r","pad":"${'x'.repeat(100_000)}"}`), /larger than 65536 bytes/],
    ];
    for (const [handler, why] of cases) {
      const r = await check(await serve(handler));
      expect(r.code, r.output).toBe(1);
      expect(r.output).toMatch(why);
    }
  });

  it('is unhealthy when nothing listens or the relay does not answer in time', async () => {
    const closed = await serve(json(200, {}));
    await new Promise((r) => servers.pop()!.close(r));
    const refused = await check(closed);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/ECONNREFUSED/);

    const silent = await serve(() => {});
    const hung = await check(silent, '--timeout-ms', '300');
    expect(hung.code).toBe(1);
    expect(hung.output).toMatch(/no answer within 300 ms/);

    // Headers at once, then a body that trickles in forever: still one deadline.
    const trickle = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
    });
    const slow = await check(trickle, '--timeout-ms', '500');
    expect(slow.code).toBe(1);
    expect(slow.output).toMatch(/no answer within 500 ms/);
  });

  it('refuses a URL that is not http(s) without using exit code 2, which Docker reserves', async () => {
    const r = await check('file:///etc/passwd');
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/usage/);
  });

  it('tells a running relay from a stopped one', async () => {
    expect(existsSync(RELAY_MAIN), `${RELAY_MAIN} is missing: run npm run build first`).toBe(true);
    dataDir = await mkdtemp(join(tmpdir(), 'ct-health-'));
    const relay = await RelayProc.start(procs, { dataDir, logLevel: 'warn' });
    const url = `${relay.url}/v1/health`;

    const up = await check(url);
    expect(up.code, `${up.output}\nrelay:\n${relay.logs()}`).toBe(0);
    expect(up.output).toMatch(/^healthy: relay \S+, epoch \S+, head \d+\n$/);

    expect((await relay.proc.stop()).exitCode, relay.logs()).toBe(0);
    const down = await check(url);
    expect(down.code).toBe(1);
    expect(down.output).toMatch(/^unhealthy: .*ECONNREFUSED/);
  });
});
