// The endpoint secret: made once, kept across starts, owner-only on POSIX, and given the
// owner-only ACL on Windows at every start (a file from before, or copied in, is fixed too).
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { windowsOwnerOnlyAclArgs } from '../home/host-key.js';
import { ensureEndpointSecret } from './secret.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-secret-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('ensureEndpointSecret', () => {
  it('makes a 0600 secret once and returns the same one at the next start', async () => {
    const path = join(dir, 'agent.secret');
    const first = await ensureEndpointSecret(path);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await ensureEndpointSecret(path)).toBe(first);
    expect((await readFile(path, 'utf8')).trim()).toBe(first);
  });

  it('replaces a damaged secret', async () => {
    const path = join(dir, 'agent.secret');
    await writeFile(path, 'not hex\n');
    const made = await ensureEndpointSecret(path);
    expect(made).toMatch(/^[0-9a-f]{64}$/);
  });

  it('on Windows runs icacls on a new secret and on an existing one', async () => {
    const path = join(dir, 'agent.secret');
    const calls: Array<[string, string[]]> = [];
    const protect = { platform: 'win32' as const, windowsUser: 'DOM\\me', run: async (f: string, a: string[]) => void calls.push([f, a]) };
    const made = await ensureEndpointSecret(path, protect);
    expect(await ensureEndpointSecret(path, protect)).toBe(made);
    expect(calls).toEqual([
      ['icacls', windowsOwnerOnlyAclArgs(path, 'DOM\\me')],
      ['icacls', windowsOwnerOnlyAclArgs(path, 'DOM\\me')],
    ]);
  });

  it('fails when icacls fails, so the agent does not serve posts with an open secret', async () => {
    const protect = { platform: 'win32' as const, windowsUser: 'me', run: async () => Promise.reject(new Error('icacls: access denied')) };
    await expect(ensureEndpointSecret(join(dir, 'agent.secret'), protect)).rejects.toThrow('access denied');
  });

  it('runs no icacls off Windows', async () => {
    const calls: string[] = [];
    await ensureEndpointSecret(join(dir, 'agent.secret'), { platform: 'linux', windowsUser: 'me', run: async (f) => void calls.push(f) });
    expect(calls).toEqual([]);
  });
});
