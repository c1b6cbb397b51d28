import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath } from './on-path.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-path-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findOnPath', () => {
  it('finds an executable in a PATH directory, and only an executable', async () => {
    const bin = join(dir, 'bin');
    await writeFile(join(dir, 'crosstalk'), '#!/bin/sh\n');
    expect(await findOnPath('crosstalk', `${bin}:${dir}`, 'linux')).toBeNull();
    await chmod(join(dir, 'crosstalk'), 0o755);
    expect(await findOnPath('crosstalk', `${bin}::${dir}`, 'linux')).toBe(join(dir, 'crosstalk'));
    expect(await findOnPath('crosstalk', undefined, 'linux')).toBeNull();
  });
  it('knows the Windows shims npm installs', async () => {
    await writeFile(join(dir, 'crosstalk.cmd'), '@echo off\r\n');
    expect(await findOnPath('crosstalk', `C:\\nowhere;${dir}`, 'win32')).toBe(join(dir, 'crosstalk.cmd'));
  });
});
