// The I/O at the edge of the spawn policy: what the requested directory and the configured roots
// really are (realpath, links followed), handed to core's pure decideSpawn.
import { realpath, stat } from 'node:fs/promises';
import type { ResolvedPaths } from '@crosstalk/core';

async function real(path: string, mustBeDir: boolean): Promise<string | null> {
  try {
    const r = await realpath(path);
    if (mustBeDir && !(await stat(r)).isDirectory()) return null;
    return r;
  } catch {
    return null;
  }
}

export async function resolvePaths(cwd: string, roots: readonly string[]): Promise<ResolvedPaths> {
  const resolvedRoots = (await Promise.all(roots.map((r) => real(r, true)))).filter((r): r is string => r !== null);
  // A relative or `..` path is refused by the policy before it is looked at; it is not resolved here.
  const plain = cwd.startsWith('/') || /^[A-Za-z]:[\\/]/.test(cwd);
  return { cwd: plain ? await real(cwd, true) : null, roots: resolvedRoots };
}
