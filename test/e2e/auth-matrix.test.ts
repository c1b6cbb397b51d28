// The auth matrix end to end. Over HTTP and the WebSocket upgrade: expired, not yet valid, wrong
// audience, `alg: none`, HS256 with the public key, unknown key, another key under a host's name,
// revoked host, replayed token, token in the query string → 401 with its own code; acting as
// another host's session → 403; a foreign Origin → refused. Then through the real programs: a
// revoked host's agent is cut off and stops, and its CLI exits 4 saying so; a tampered key file
// and a CLI holding another host's config exit 4; the agent with the tampered key never links.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { homeLayout, readHostKey } from '@crosstalk/agent';
import { ERRORS, EXIT } from '@crosstalk/core';
import { generateEd25519 } from '@crosstalk/core/token';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AgentProc, explain, hmacWithPublicKey, labPerTest, signed, unsigned, type Host } from '../harness/index.js';

interface Refusal {
  status: number;
  code: string | undefined;
  message: string | undefined;
}

async function http(url: string, path: string, auth: string | null, init: { method?: string; body?: unknown } = {}): Promise<Refusal> {
  const headers: Record<string, string> = {};
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  return { status: res.status, code: body.code, message: body.message };
}

/** A WebSocket upgrade: the refusal's status and error body, or `open`. */
function upgrade(url: string, token: string | null, options: { path?: string; origin?: string } = {}): Promise<Refusal | 'open'> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${options.path ?? '/v1/link'}`, { headers, ...(options.origin ? { origin: options.origin } : {}) });
    ws.on('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        const body = JSON.parse(text || '{}') as { code?: string; message?: string };
        resolve({ status: res.statusCode ?? 0, code: body.code, message: body.message });
      });
    });
    ws.on('error', () => {});
  });
}

describe('auth matrix, end to end', () => {
  const labs = labPerTest();

  it('refuses every bad credential over HTTP and the link upgrade, and the programs report it with exit code 4', { timeout: 170_000 }, async () => {
    const lab = await labs.create('auth');
    const relay = await lab.startRelay();
    const alpha = await lab.host('alpha');
    const beta = await lab.host('beta');
    const gamma = await lab.host('gamma');
    const gammaAgent = await lab.startAgent(gamma);
    for (const [host, session] of [
      [alpha, 'alpha-s'],
      [beta, 'beta-s'],
      [gamma, 'gamma-s'],
    ] as Array<[Host, string]>) {
      const r = await host.run(['join', '--as', session, '--no-wake', '--json']);
      expect(r.exitCode, explain(r)).toBe(0);
    }
    const opened = await alpha.run(['open', '--topic', 'who may speak', '--with', 'beta-s', '--body', 'beta-s speaks next', '--as', 'alpha-s', '--json']);
    expect(opened.exitCode, explain(opened)).toBe(0);
    const id: string = opened.json().id;

    // --- the relay's own checks, over HTTP and the upgrade ----------------------------------
    const alphaKey = await readHostKey(homeLayout(alpha.home).hostKey);
    const stranger = (await generateEd25519()).privateJwk;
    const base = { kid: 'alpha', relayId: relay.relayId };
    const replayed = await signed(alphaKey, base);
    const cases: Array<{ what: string; token: () => Promise<string> | string; code: string }> = [
      { what: 'expired', token: () => signed(alphaKey, { ...base, iatOffset: -200, lifetime: 120 }), code: 'AUTH_EXPIRED' },
      { what: 'not yet valid', token: () => signed(alphaKey, { ...base, iatOffset: 120 }), code: 'AUTH_EXPIRED' },
      { what: 'wrong audience', token: () => signed(alphaKey, { ...base, aud: 'crosstalk:another-relay' }), code: 'AUTH_INVALID' },
      { what: 'alg none', token: () => unsigned(base), code: 'AUTH_INVALID' },
      { what: 'HS256 with the public key', token: () => hmacWithPublicKey(alphaKey.x, base), code: 'AUTH_INVALID' },
      { what: 'unknown key', token: () => signed(stranger, { ...base, kid: 'nobody' }), code: 'HOST_UNKNOWN' },
      { what: "another key under alpha's name", token: () => signed(stranger, base), code: 'AUTH_INVALID' },
      { what: 'lifetime over 5 minutes', token: () => signed(alphaKey, { ...base, lifetime: 3600 }), code: 'AUTH_INVALID' },
    ];
    let refused = 0;
    for (const c of cases) {
      for (const via of ['http', 'upgrade'] as const) {
        const token = await c.token();
        const r = via === 'http' ? await http(relay.url, '/v1/sessions', token) : await upgrade(relay.url, token);
        expect(r, `${c.what} over ${via}`).toMatchObject({ status: 401, code: c.code });
        refused++;
      }
    }
    // A token is good once.
    expect(await http(relay.url, '/v1/sessions', replayed)).toMatchObject({ status: 200 });
    expect(await http(relay.url, '/v1/sessions', replayed)).toMatchObject({ status: 401, code: 'AUTH_REPLAYED' });
    const replayedLink = await signed(alphaKey, base);
    expect(await upgrade(relay.url, replayedLink)).toBe('open');
    expect(await upgrade(relay.url, replayedLink)).toMatchObject({ status: 401, code: 'AUTH_REPLAYED' });
    // Never in a URL, and never from a web page.
    const fresh = () => signed(alphaKey, base);
    expect(await http(relay.url, `/v1/sessions?token=${await fresh()}`, null)).toMatchObject({ status: 401, code: 'TOKEN_IN_URL' });
    expect(await upgrade(relay.url, null, { path: `/v1/link?access_token=${await fresh()}` })).toMatchObject({ status: 401, code: 'TOKEN_IN_URL' });
    expect(await upgrade(relay.url, await fresh(), { origin: 'https://evil.example' })).toMatchObject({ status: 403, code: 'FORBIDDEN_ORIGIN' });
    // Acting as another host's session.
    const asBeta = await http(relay.url, `/v1/conversations/${id}/turns`, await fresh(), {
      method: 'POST',
      body: { as: 'beta-s', expectedTurn: 2, idempotencyKey: randomBytes(8).toString('hex'), body: 'I am beta-s, honest' },
    });
    expect(asBeta).toMatchObject({ status: 403, code: 'SESSION_NOT_OWNED' });
    refused += 6;

    // --- through the CLI ----------------------------------------------------------------------
    const cliAsBeta = await alpha.run(['reply', id, '--as', 'beta-s', '--body', 'I am beta-s, honest']);
    expect(cliAsBeta.exitCode, explain(cliAsBeta)).toBe(EXIT.auth);
    expect(cliAsBeta.stderr).toContain('belongs to host beta');

    // A tampered key file: same format, another key.
    const tampered = join(lab.dir, 'homes', 'alpha-tampered');
    await mkdir(tampered, { recursive: true, mode: 0o700 });
    for (const f of ['config.json', 'host-key.json']) await copyFile(join(alpha.home, f), join(tampered, f));
    const key = JSON.parse(await readFile(join(tampered, 'host-key.json'), 'utf8'));
    await writeFile(join(tampered, 'host-key.json'), JSON.stringify({ ...key, d: stranger.d, x: stranger.x }), { mode: 0o600 });
    const withTampered = await lab.run(tampered, ['list', '--json']);
    expect(withTampered.exitCode, explain(withTampered)).toBe(EXIT.auth);
    expect(withTampered.json().error).toMatchObject({ code: 'AUTH_INVALID' });

    // A CLI holding another host's config (beta's) with its own key (alpha's).
    const mixed = join(lab.dir, 'homes', 'mixed');
    await mkdir(mixed, { recursive: true, mode: 0o700 });
    await copyFile(join(beta.home, 'config.json'), join(mixed, 'config.json'));
    await copyFile(join(alpha.home, 'host-key.json'), join(mixed, 'host-key.json'));
    const withMixed = await lab.run(mixed, ['reply', id, '--as', 'beta-s', '--body', 'with beta config', '--json']);
    expect(withMixed.exitCode, explain(withMixed)).toBe(EXIT.auth);
    expect(withMixed.json().error).toMatchObject({ code: 'AUTH_INVALID' });

    // The agent with the tampered key is refused, never links, and stops after a few refusals.
    const tamperedAgent = AgentProc.start(lab.procs, { name: 'alpha-tampered', home: tampered }, { viaCli: true, logLevel: 'debug', env: lab.env(tampered) });
    const tamperedExit = await lab.waitFor('the tampered agent to stop after its key was refused', () => tamperedAgent.proc.exitInfo);
    expect(tamperedExit.exitCode, tamperedAgent.proc.logs()).toBe(ERRORS.AUTH_INVALID.exit);
    expect(tamperedAgent.proc.logs()).toMatch(/refused this host's key 3 times/);
    const status = (await tamperedAgent.status()).status;
    expect(status).toMatchObject({ connected: false, lastError: { code: 'AUTH_INVALID' } });

    // --- revocation: the running agent is cut off and stops; the CLI exits 4 ------------------
    const revoke = await lab.run(relay.home, ['relay', 'revoke', 'gamma', '--json']);
    expect(revoke.exitCode, explain(revoke)).toBe(0);
    const exit = await lab.waitFor('the revoked agent to stop', () => gammaAgent.proc.exitInfo);
    expect(exit.exitCode, gammaAgent.proc.logs()).toBe(ERRORS.HOST_REVOKED.exit);
    expect(gammaAgent.proc.logs()).toMatch(/revoked/);
    const afterRevoke = await gamma.run(['list']);
    expect(afterRevoke.exitCode, explain(afterRevoke)).toBe(EXIT.auth);
    expect(afterRevoke.stderr).toMatch(/revoked/);
    const afterRevokeJson = await gamma.run(['list', '--json']);
    expect(afterRevokeJson.json().error).toMatchObject({ code: 'HOST_REVOKED' });
    const sessions = await (await relay.adminClient()).listSessions();
    expect(sessions.sessions.map((s) => s.name).sort()).toEqual(['alpha-s', 'beta-s']);

    process.stdout.write(
      `auth-matrix: relay_refusals=${refused} cli_exit4=5 (session of another host, tampered key, another host's config, revoked x2) ` +
        `tampered_agent=${status?.lastError?.code} tampered_agent_exit=${tamperedExit.exitCode} revoked_agent_exit=${exit.exitCode}\n`,
    );
  });
});
