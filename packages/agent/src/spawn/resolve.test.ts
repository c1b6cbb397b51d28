// The policy over real directories: realpath at the edge, core's pure decision over what it found.
// A link inside a root that leads out is refused; a link from outside into a root starts the agent
// where it leads; a root that is itself a link counts by where it leads.
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideSpawn, type SpawnPolicy } from '@crosstalk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from './resolve.js';

let dir: string;
let policy: SpawnPolicy;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'ct-spawn-paths-')));
  await mkdir(join(dir, 'root', 'api'), { recursive: true });
  await mkdir(join(dir, 'rootbc'), { recursive: true });
  await mkdir(join(dir, 'outside'), { recursive: true });
  await writeFile(join(dir, 'root', 'file'), 'x');
  await symlink(join(dir, 'outside'), join(dir, 'root', 'escape'));
  await symlink(join(dir, 'root', 'api'), join(dir, 'outside', 'into'));
  await symlink(join(dir, 'root'), join(dir, 'root-link'));
  policy = { enabled: true, allow: ['alpha'], kinds: ['codex'], roots: [join(dir, 'root-link')], maxSessions: 1 };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const decide = async (cwd: string) => decideSpawn(policy, { by: 'alpha', kind: 'codex', cwd }, await resolvePaths(cwd, policy.roots), 0, 'posix');

describe('resolvePaths + decideSpawn', () => {
  it('allows a directory inside a root reached through the root link, started in its real path', async () => {
    expect(await decide(join(dir, 'root-link', 'api'))).toEqual({ ok: true, cwd: join(dir, 'root', 'api') });
  });

  it('starts the agent where a link from outside really leads, inside a root', async () => {
    expect(await decide(join(dir, 'outside', 'into'))).toEqual({ ok: true, cwd: join(dir, 'root', 'api') });
  });

  it('refuses a link inside a root that leads out of it', async () => {
    expect(await decide(join(dir, 'root-link', 'escape'))).toMatchObject({ ok: false, rule: 'cwd-symlink-escape' });
    expect(await decide(join(dir, 'root', 'escape'))).toMatchObject({ ok: false, rule: 'cwd-symlink-escape' });
  });

  it('refuses a sibling that shares the prefix, a missing directory, a file, and ".."', async () => {
    expect(await decide(join(dir, 'rootbc'))).toMatchObject({ ok: false, rule: 'cwd-outside-roots' });
    expect(await decide(join(dir, 'root', 'nope'))).toMatchObject({ ok: false, rule: 'cwd-missing' });
    expect(await decide(join(dir, 'root', 'file'))).toMatchObject({ ok: false, rule: 'cwd-missing' });
    expect(await decide(`${dir}/root/api/../../outside`)).toMatchObject({ ok: false, rule: 'cwd-dot-dot' });
  });
});
