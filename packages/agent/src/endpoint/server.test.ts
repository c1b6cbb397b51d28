// The local endpoint on real sockets in temp dirs: who may connect, what it answers, and what it
// refuses before doing anything.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { askAgent, LocalRefusal } from '@crosstalk/client/local';
import { waitFor } from '@crosstalk/core/test-support';
import { ensureEndpointSecret } from './secret.js';
import { listenEndpoint, type RunningEndpoint } from './server.js';

const log = { debug() {}, warn() {} };
let dir: string;
let endpoint: RunningEndpoint | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-endpoint-'));
});
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  await rm(dir, { recursive: true, force: true });
});

type Handle = (r: Record<string, unknown>, closed: AbortSignal) => Promise<Record<string, unknown>>;
const start = (handle: Handle = async (r) => ({ echo: r.t }), idleMs?: number) =>
  listenEndpoint({ path: join(dir, 'agent.sock'), platform: process.platform, handle, log, ...(idleMs ? { idleMs } : {}) }).then((e) => (endpoint = e));

/** Writes raw bytes and collects what comes back until the agent closes the connection. */
function raw(path: string, data: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createConnection(path);
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.write(data);
  });
}

describe('the local endpoint', () => {
  it('keeps a connection whose request is still being answered past the idle limit, and says when the asker hangs up', async () => {
    let release: () => void = () => undefined;
    const hungUp: string[] = [];
    const e = await start(async (r, closed) => {
      closed.addEventListener('abort', () => hungUp.push(String(r.t)));
      if (r.t === 'slow') await new Promise<void>((resolve) => (release = resolve));
      if (r.t === 'forever') await new Promise(() => undefined);
      return { done: r.t };
    }, 50);
    const slow = askAgent(e.path, { t: 'slow' }, 5_000);
    // Far past the 50 ms idle limit, the answer still comes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    expect(await slow).toEqual({ done: 'slow' });
    await expect(askAgent(e.path, { t: 'forever' }, 200)).rejects.toThrow(/did not answer/);
    await waitFor('the handler to hear of the hang-up', () => hungUp.includes('forever'));
  });

  it('closes a connection left idle after a request that outlasted the idle limit was answered', async () => {
    let release: () => void = () => undefined;
    const e = await start(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { done: true };
    }, 100);
    const s = createConnection(e.path);
    let got = '';
    let closedAt = 0;
    s.on('data', (d) => (got += d.toString()));
    s.on('close', () => (closedAt = Date.now()));
    s.write('{"t":"hello","v":1}\n{"t":"slow","id":1}\n');
    await waitFor('the welcome', () => got.includes('"welcome"'));
    // Three idle limits pass while the request is being answered: the connection stays.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(closedAt).toBe(0);
    release();
    await waitFor('the reply', () => got.includes('"reply"'));
    const answeredAt = Date.now();
    await waitFor('the idle connection to be closed', () => closedAt > 0);
    expect(closedAt - answeredAt).toBeGreaterThanOrEqual(50);
    expect(
      got
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).t),
    ).toEqual(['welcome', 'reply']);
  });

  it('answers a request after the hello, and refuses with the handler own error', async () => {
    const e = await start(async (r) => {
      if (r.t === 'boom') throw new CrosstalkError('NOT_FOUND', 'no such thing');
      return { echo: r.t, n: 1 };
    });
    expect(await askAgent(e.path, { t: 'hook' }, 2_000)).toEqual({ echo: 'hook', n: 1 });
    await expect(askAgent(e.path, { t: 'boom' }, 2_000)).rejects.toMatchObject({ name: 'LocalRefusal', code: 'NOT_FOUND', message: 'no such thing' });
    expect(LocalRefusal).toBeDefined();
  });

  it('is a socket only its owner may open (0600)', async () => {
    const e = await start();
    expect((await stat(e.path)).mode & 0o777).toBe(0o600);
  });

  it.runIf(process.getuid?.() === 0)('refuses another user by the socket mode alone', async () => {
    // The folder is open to everyone, so only the socket's own mode stands in the way.
    await chmod(dir, 0o755);
    const e = await start();
    const tryAs = async () => {
      const script = `const s=require('net').createConnection(${JSON.stringify(e.path)});s.on('connect',()=>{console.log('connected');s.destroy()});s.on('error',(e)=>console.log(e.code))`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { uid: 65534, gid: 65534, timeout: 10_000 });
      return stdout.trim();
    };
    expect(await tryAs()).toBe('EACCES');
    // The control: with the mode opened up, the same user gets in.
    await chmod(e.path, 0o666);
    expect(await tryAs()).toBe('connected');
  });

  it('refuses a frame before the hello, garbage, and an oversized frame, and closes', async () => {
    const e = await start();
    expect(JSON.parse(await raw(e.path, '{"t":"hook","id":1}\n'))).toMatchObject({ t: 'error', code: 'PROTOCOL_MISMATCH' });
    expect(JSON.parse(await raw(e.path, '{"t":"hello","v":1}\nnot json\n').then((s) => s.split('\n')[1] as string))).toMatchObject({
      t: 'error',
      code: 'INVALID_REQUEST',
    });
    const big = Buffer.alloc(1024 * 1024 + 10, 'a');
    expect(JSON.parse(await raw(e.path, Buffer.concat([Buffer.from('{"t":"hello","v":1}\n'), big])).then((s) => s.split('\n')[1] as string))).toMatchObject({
      t: 'error',
      code: 'INVALID_REQUEST',
    });
    // And it still serves the next client.
    expect(await askAgent(e.path, { t: 'hook' }, 2_000)).toEqual({ echo: 'hook' });
  });

  it('replaces a socket file an old agent left, and will not start beside a live one', async () => {
    await writeFile(join(dir, 'agent.sock'), 'left over');
    const e = await start();
    expect(await askAgent(e.path, { t: 'x' }, 2_000)).toEqual({ echo: 'x' });
    await expect(listenEndpoint({ path: e.path, platform: process.platform, handle: async () => ({}), log })).rejects.toMatchObject({ code: 'AGENT_RUNNING' });
  });

  it('will not take a name another process holds where there is no file to clear (a Windows pipe)', async () => {
    const e = await start();
    // The win32 path skips the stale-file check; the listen itself finds the name taken.
    await expect(listenEndpoint({ path: e.path, platform: 'win32', handle: async () => ({}), log })).rejects.toMatchObject({
      code: 'AGENT_RUNNING',
      message: expect.stringContaining('another process already listens'),
    });
    expect(await askAgent(e.path, { t: 'x' }, 2_000)).toEqual({ echo: 'x' });
  });

  it('proves itself to a client that holds the secret; a client holding another secret sends nothing', async () => {
    const seen: string[] = [];
    endpoint = await listenEndpoint({
      path: join(dir, 'agent.sock'),
      platform: process.platform,
      secret: 'a'.repeat(64),
      log,
      handle: async (r, _closed, progress) => {
        seen.push(String(r.t));
        progress({ queued: true });
        return { done: r.t };
      },
    });
    const progress: unknown[] = [];
    const ok = await askAgent(endpoint.path, { t: 'post' }, 2_000, { secret: 'a'.repeat(64), onProgress: (p) => progress.push(p) });
    expect(ok).toEqual({ done: 'post' });
    expect(progress).toEqual([{ queued: true }]);
    await expect(askAgent(endpoint.path, { t: 'post' }, 2_000, { secret: 'b'.repeat(64) })).rejects.toMatchObject({ name: 'AgentUnproven' });
    // The impostor check happens before the request: the agent never saw the second one.
    expect(seen).toEqual(['post']);
    // A server without the secret proves nothing either.
    await endpoint.close();
    endpoint = await listenEndpoint({ path: join(dir, 'agent.sock'), platform: process.platform, log, handle: async () => ({}) });
    await expect(askAgent(endpoint.path, { t: 'post' }, 2_000, { secret: 'a'.repeat(64) })).rejects.toMatchObject({ name: 'AgentUnproven' });
  });

  it('makes its secret once, user-only, and keeps it', async () => {
    const path = join(dir, 'agent.secret');
    const secret = await ensureEndpointSecret(path);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await ensureEndpointSecret(path)).toBe(secret);
  });

  it('tells a caller there is no agent, without an error', async () => {
    expect(await askAgent(join(dir, 'nobody.sock'), { t: 'hook' }, 2_000)).toBeNull();
  });
});
