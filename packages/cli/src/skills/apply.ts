// The thin writer behind `crosstalk skill install`: read the files the plan needs, carry it out.
import { mkdir, realpath, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { atomicWriteFile, readIfExists } from '@crosstalk/agent/files';
import { isMissing } from '../lib/system-error.js';
import { planSkills, type SkillPlan, type SkillRequest } from './plan.js';
import { type SkillFiles, skillPaths } from './request.js';

/** Where `path` really is, links resolved, whether or not it exists yet (Codex keys hook trust by it). */
async function realPath(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if (!isMissing(err) || dirname(path) === path) throw err;
    return join(await realPath(dirname(path)), basename(path));
  }
}

export async function readSkillFiles(req: SkillRequest): Promise<SkillFiles> {
  const paths = skillPaths(req);
  const all = Object.values(paths);
  const bytes = new Map(await Promise.all(all.map(async (p) => [p, await readIfExists(p)] as const)));
  return { bytes, realPaths: new Map([[paths.codexHooks, await realPath(paths.codexHooks)]]) };
}

// Readers see the old file or the new one, never half of it; an existing file keeps its mode.
async function replaceFile(path: string, content: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const mode = await stat(path).then(
    (s) => s.mode & 0o777,
    (err: unknown) => (isMissing(err) ? 0o644 : Promise.reject(err)),
  );
  await atomicWriteFile(path, content, { mode });
}

async function removeDirIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Not empty, gone, or a link (never ours to remove).
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }
}

async function applySkillPlan(plan: SkillPlan): Promise<void> {
  for (const action of plan.actions) {
    if ((action.change === 'create' || action.change === 'update') && action.content) await replaceFile(action.path, action.content);
    if (action.change === 'remove') {
      await rm(action.path, { force: true });
      for (const dir of action.removeDirsIfEmpty ?? []) await removeDirIfEmpty(dir);
    }
  }
}

/** Reads, plans and applies; returns the plan so the CLI can report each change. */
export async function installSkills(req: SkillRequest): Promise<SkillPlan> {
  const plan = planSkills(req, await readSkillFiles(req));
  await applySkillPlan(plan);
  return plan;
}
