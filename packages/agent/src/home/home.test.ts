import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { generateEd25519 } from '@crosstalk/core/token';
import { readAgentConfig, writeAgentConfig } from './config.js';
import { keyFileProblems, readHostKey, windowsOwnerOnlyAclArgs, writeHostKey } from './host-key.js';
import { homeLayout, resolveHome } from './layout.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-home-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('home', () => {
  it('resolves CROSSTALK_HOME or ~/.crosstalk', () => {
    expect(resolveHome({ userHome: '/home/u' })).toBe('/home/u/.crosstalk');
    expect(resolveHome({ crosstalkHome: '/srv/ct', userHome: '/home/u' })).toBe('/srv/ct');
    expect(resolveHome({ crosstalkHome: '  ', userHome: '/home/u' })).toBe('/home/u/.crosstalk');
    expect(homeLayout('/h').conversationsDir).toBe('/h/conversations');
  });

  it('writes a config with defaults and reads it back', async () => {
    const path = join(dir, 'config.json');
    const written = await writeAgentConfig(path, {
      version: 1,
      relayUrl: 'http://127.0.0.1:7717',
      relayId: 'r1',
      host: 'linux-box',
      conversationsDir: join(dir, 'c'),
    });
    expect(written.wake).toEqual({ nudgeAfterSeconds: 600, idleGraceSeconds: 20, maxNudges: 2, quietMs: 2000, enterDelayMs: 300 });
    expect(await readAgentConfig(path)).toEqual(written);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('says NOT_ENROLLED without a config and CONFIG_INVALID for a bad one', async () => {
    await expect(readAgentConfig(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'NOT_ENROLLED' });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"version":1,"relayUrl":"ftp://x","relayId":"r","host":"Bad Name","conversationsDir":"rel"}');
    const err = await readAgentConfig(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrosstalkError);
    expect((err as CrosstalkError).code).toBe('CONFIG_INVALID');
    expect((err as CrosstalkError).message).toMatch(/relayUrl/);
    expect((err as CrosstalkError).message).toMatch(/host/);
    await expect(
      writeAgentConfig(bad, { version: 1, relayUrl: 'http://127.0.0.1:7717', relayId: 'r1', host: 'h', conversationsDir: join(dir, 'a\u001b[31mb\nc') }),
    ).rejects.toThrow(/conversationsDir/);
    await writeFile(bad, 'not json');
    await expect(readAgentConfig(bad)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('takes a pause before Enter per measured kind, and at least 300 ms for the others', async () => {
    const path = join(dir, 'config.json');
    const base = { version: 1 as const, relayUrl: 'http://127.0.0.1:7717', relayId: 'r1', host: 'linux-box', conversationsDir: join(dir, 'c') };
    const written = await writeAgentConfig(path, { ...base, wake: { enterDelayMsByKind: { codex: 40 } } });
    expect(written.wake).toMatchObject({ enterDelayMs: 300, enterDelayMsByKind: { codex: 40 } });
    await expect(writeAgentConfig(path, { ...base, wake: { enterDelayMs: 100 } })).rejects.toThrow(/enterDelayMs/);
    await expect(writeAgentConfig(path, { ...base, wake: { enterDelayMsByKind: { other: 10 } as never } })).rejects.toThrow(/enterDelayMsByKind/);
  });

  it('keeps the host key readable only by the user and reads it back', async () => {
    const { privateJwk } = await generateEd25519();
    const path = join(dir, 'host-key.json');
    await writeHostKey(path, privateJwk);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readHostKey(path)).toEqual(privateJwk);
    expect(await keyFileProblems(path)).toEqual([]);
    await chmod(path, 0o644);
    expect((await keyFileProblems(path))[0]).toMatch(/chmod 600/);
    await writeFile(path, JSON.stringify({ kty: 'RSA' }));
    await expect(readHostKey(path)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('protects the key on Windows with icacls', async () => {
    const calls: Array<[string, string[]]> = [];
    const { privateJwk } = await generateEd25519();
    await writeHostKey(join(dir, 'k.json'), privateJwk, { platform: 'win32', windowsUser: 'me', run: async (f, a) => void calls.push([f, a]) });
    expect(calls).toEqual([['icacls', windowsOwnerOnlyAclArgs(join(dir, 'k.json'), 'me')]]);
    expect(windowsOwnerOnlyAclArgs('C:\\k.json', 'me')).toEqual(['C:\\k.json', '/inheritance:r', '/grant:r', 'me:F']);
  });
});
