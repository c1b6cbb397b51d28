import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWriteFile } from './atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomicWriteFile', () => {
  it('replaces the file and leaves no temp files', async () => {
    const file = join(dir, 'a.md');
    await atomicWriteFile(file, 'one');
    await atomicWriteFile(file, 'two');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.md']);
  });
  it('creates new files with the given mode', async () => {
    const file = join(dir, 'key.json');
    await atomicWriteFile(file, '{}', { mode: 0o600 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
  it('retries a rename that Windows refuses while another process holds the file', async () => {
    const file = join(dir, 'held.md');
    let refusals = 0;
    const { rename } = await import('node:fs/promises');
    await atomicWriteFile(file, 'ok', {
      platform: 'win32',
      renameImpl: async (from, to) => {
        if (refusals < 3) {
          refusals++;
          throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
        }
        await rename(from, to);
      },
    });
    expect(refusals).toBe(3);
    expect(await readFile(file, 'utf8')).toBe('ok');
  });
  it('gives up after its budget and removes the temp file', async () => {
    const file = join(dir, 'stuck.md');
    const attempt = atomicWriteFile(file, 'x', {
      platform: 'win32',
      renameRetryMs: 100,
      renameImpl: async () => {
        throw Object.assign(new Error('EBUSY'), { code: 'EBUSY' });
      },
    });
    await expect(attempt).rejects.toMatchObject({ code: 'EBUSY' });
    expect(await readdir(dir)).toEqual([]);
  });
  it('does not retry on POSIX', async () => {
    let calls = 0;
    const attempt = atomicWriteFile(join(dir, 'p.md'), 'x', {
      platform: 'linux',
      renameImpl: async () => {
        calls++;
        throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      },
    });
    await expect(attempt).rejects.toMatchObject({ code: 'EPERM' });
    expect(calls).toBe(1);
  });
});
