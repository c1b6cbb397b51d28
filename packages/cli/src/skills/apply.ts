// The thin writer behind `crosstalk skill install`: read the files the plan needs, carry it out.
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWriteFile, readIfExists } from '@crosstalk/agent/files';
import { isMissing } from '../lib/system-error.js';
import { planSkills, skillPaths, type SkillPlan, type SkillRequest } from './plan.js';

export async function readSkillFiles(req: SkillRequest): Promise<Map<string, Uint8Array | undefined>> {
  const paths = Object.values(skillPaths(req));
  return new Map(await Promise.all(paths.map(async (p) => [p, await readIfExists(p)] as const)));
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
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw err;
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
