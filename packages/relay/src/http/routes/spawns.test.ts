// Spawn and kill requests at the relay: recorded as events with who asked stamped from the
// credential (a host, or `admin`), never taken from the body; outcomes stamped with the host that
// reports them; a request for a host or session that does not exist changes nothing.
import { describe, expect, it } from 'vitest';
import { relays } from '../../__fixtures__/harness.js';

const r = relays();

async function setup() {
  const relay = await r.start();
  const alpha = await relay.enroll('alpha');
  const beta = await relay.enroll('beta');
  await relay.join(alpha, 'a1');
  return { relay, alpha, beta };
}

const spawn = { host: 'beta', kind: 'codex', session: 'helper', cwd: '/srv/work', prompt: 'run the tests' };

async function eventsAfter(relay: Awaited<ReturnType<typeof setup>>['relay'], seq: number) {
  return (await relay.request(relay.admin, 'GET', `/v1/events?after=${seq}`)).body.events as Array<Record<string, unknown>>;
}

describe('spawn and kill requests', () => {
  it('records who asked, for which host, what, and the outcome the asked host reports', async () => {
    const { relay, alpha, beta } = await setup();
    const asked = await relay.request(alpha.signer, 'POST', '/v1/spawns', spawn);
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ host: 'beta', id: expect.stringMatching(/^[0-9a-f]{24}$/) });
    const reported = await relay.request(beta.signer, 'POST', '/v1/spawns/results', {
      id: asked.body.id,
      request: asked.body.seq,
      session: 'helper',
      outcome: 'refused',
      reason: 'off',
      detail: 'spawning is off on this host',
      cwd: null,
    });
    expect(reported.status).toBe(201);
    const events = await eventsAfter(relay, asked.body.seq - 1);
    expect(events.map((e) => e.type)).toEqual(['spawn.requested', 'spawn.resulted']);
    expect(events[0]).toMatchObject({
      id: asked.body.id,
      by: 'alpha',
      host: 'beta',
      kind: 'codex',
      session: 'helper',
      cwd: '/srv/work',
      prompt: 'run the tests',
      model: null,
    });
    expect(events[1]).toMatchObject({ id: asked.body.id, host: 'beta', outcome: 'refused', reason: 'off' });
    expect(events[1]).not.toHaveProperty('request');
  });

  it('takes an outcome only from the host that was asked, for the request it names', async () => {
    const { relay, alpha, beta } = await setup();
    const spawned = await relay.request(alpha.signer, 'POST', '/v1/spawns', spawn);
    const killed = await relay.request(beta.signer, 'POST', '/v1/kills', { session: 'a1' });
    const head = (await relay.request(null, 'GET', '/v1/health')).body.head as number;
    const started = { id: spawned.body.id, request: spawned.body.seq, session: 'helper', outcome: 'started', reason: '', detail: '', cwd: '/srv/work' };
    const stopped = { id: killed.body.id, request: killed.body.seq, session: 'a1', outcome: 'killed', reason: '', detail: '' };
    // alpha asked beta to spawn; alpha cannot report beta's outcome, nor beta the kill sent to alpha.
    const notYours = await relay.request(alpha.signer, 'POST', '/v1/spawns/results', started);
    expect(notYours.status).toBe(403);
    expect(notYours.body).toMatchObject({ code: 'NOT_ASKED_HOST', details: { asked: 'beta' } });
    expect((await relay.request(beta.signer, 'POST', '/v1/kills/results', stopped)).body).toMatchObject({
      code: 'NOT_ASKED_HOST',
      details: { asked: 'alpha' },
    });
    // An outcome for a request that is not there (wrong seq, id, kind or session) is not recorded either.
    for (const [path, body] of [
      ['/v1/spawns/results', { ...started, request: killed.body.seq }],
      ['/v1/spawns/results', { ...started, id: 'ab'.repeat(12) }],
      ['/v1/spawns/results', { ...started, session: 'other' }],
      ['/v1/spawns/results', { ...started, request: head + 100 }],
      ['/v1/kills/results', { ...stopped, request: spawned.body.seq }],
    ] as const) {
      const answer = await relay.request(beta.signer, 'POST', path, body);
      expect(answer.status, JSON.stringify(body)).toBe(404);
      expect(answer.body.code).toBe('REQUEST_NOT_FOUND');
    }
    expect((await relay.request(null, 'GET', '/v1/health')).body.head).toBe(head);
    // The asked hosts' own reports are taken.
    expect((await relay.request(beta.signer, 'POST', '/v1/spawns/results', started)).status).toBe(201);
    expect((await relay.request(alpha.signer, 'POST', '/v1/kills/results', stopped)).status).toBe(201);
  });

  it('stamps the requester from the credential: the admin is `admin`, a body cannot say otherwise', async () => {
    const { relay, alpha } = await setup();
    const admin = await relay.request(relay.admin, 'POST', '/v1/spawns', spawn);
    expect(admin.status).toBe(201);
    expect((await eventsAfter(relay, admin.body.seq - 1))[0]).toMatchObject({ by: 'admin' });
    const forged = await relay.request(alpha.signer, 'POST', '/v1/spawns', { ...spawn, by: 'beta' });
    expect(forged.status).toBe(400);
    // The admin key reports no outcome: only a host does, as itself.
    const report = await relay.request(relay.admin, 'POST', '/v1/spawns/results', {
      id: admin.body.id,
      request: admin.body.seq,
      session: 'helper',
      outcome: 'started',
      reason: '',
      detail: '',
      cwd: null,
    });
    expect(report.status).toBe(403);
  });

  it('refuses a host that is not enrolled, and a name another host holds, changing nothing', async () => {
    const { relay, alpha, beta } = await setup();
    const head = (await relay.request(null, 'GET', '/v1/health')).body.head as number;
    expect((await relay.request(alpha.signer, 'POST', '/v1/spawns', { ...spawn, host: 'gamma' })).body.code).toBe('HOST_NOT_FOUND');
    expect((await relay.request(beta.signer, 'POST', '/v1/spawns', { ...spawn, session: 'a1' })).body.code).toBe('SESSION_TAKEN');
    expect((await relay.request(alpha.signer, 'POST', '/v1/kills', { session: 'nobody' })).body.code).toBe('SESSION_NOT_FOUND');
    expect((await relay.request(null, 'GET', '/v1/health')).body.head).toBe(head);
  });

  it('sends a kill to the host the session belongs to', async () => {
    const { relay, beta } = await setup();
    const asked = await relay.request(beta.signer, 'POST', '/v1/kills', { session: 'a1' });
    expect(asked.status).toBe(201);
    expect(asked.body.host).toBe('alpha');
    expect((await eventsAfter(relay, asked.body.seq - 1))[0]).toMatchObject({ type: 'kill.requested', by: 'beta', host: 'alpha', session: 'a1' });
  });
});
