// Temp dirs for one test file, removed after each test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export async function tempDir(prefix = 'crosstalk-relay-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function tempDirs(): { dir(): Promise<string> } {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    async dir() {
      const dir = await tempDir();
      dirs.push(dir);
      return dir;
    },
  };
}
