// The format version of the agent's state dir, in state/format.json (none there while the dir holds
// state: format 1). At start an older format is migrated step by step, each step's files copied
// first to backups/state-format-<n>-<time>/ in the home; a newer one is refused
// (DATA_FORMAT_TOO_NEW), so an older agent never misreads what a newer one wrote.
//
// A new format: bump STATE_FORMAT and add the step from the one before to STEPS.
import { constants, copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CrosstalkError } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readJson } from '../fs/read-json.js';

export const STATE_FORMAT = 2;

interface Step {
  /** Files of the state dir the step rewrites, copied to the backup before it runs. */
  files: readonly string[];
  run(stateDir: string): Promise<void>;
}

/** STEPS[n] takes a state dir from format n to n + 1. */
const STEPS: Record<number, Step> = {
  // Format 2 only states the format (format.json, written after the steps, below).
  1: { files: ['cursor.json', 'sessions.json', 'wakes.json'], run: async () => {} },
};

export interface StateMigration {
  from: number;
  to: number;
  backup: string;
}

const formatFile = (stateDir: string) => join(stateDir, 'format.json');

/** The state dir's format; null when it holds nothing yet. */
async function readStateFormat(stateDir: string): Promise<number | null> {
  const value = await readJson(formatFile(stateDir), 64 * 1024);
  if (value !== undefined) {
    const format = (value as { format?: unknown } | null)?.format;
    if (typeof format !== 'number' || !Number.isSafeInteger(format) || format < 1) {
      throw new CrosstalkError('CONFIG_INVALID', `${formatFile(stateDir)} states no valid format version`, { details: { file: formatFile(stateDir) } });
    }
    return format;
  }
  const entries = await readdir(stateDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  return entries.length === 0 ? null : 1;
}

async function writeFormat(stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await atomicWriteFile(formatFile(stateDir), `${JSON.stringify({ format: STATE_FORMAT })}\n`, { mode: 0o600 });
}

/**
 * Brings the state dir to STATE_FORMAT before anything reads it: a new one is stamped, an older one
 * migrated (null when there was nothing to migrate), a newer one refused.
 */
export async function migrateStateDir(stateDir: string, now: Date = new Date()): Promise<StateMigration | null> {
  const found = await readStateFormat(stateDir);
  if (found === STATE_FORMAT) return null;
  if (found === null) {
    await writeFormat(stateDir);
    return null;
  }
  if (found > STATE_FORMAT) {
    throw new CrosstalkError(
      'DATA_FORMAT_TOO_NEW',
      `the agent state in ${stateDir} is of format ${found}; this agent reads formats up to ${STATE_FORMAT}: a newer crosstalk wrote it`,
      { details: { stateDir, found, supported: STATE_FORMAT } },
    );
  }
  const backup = join(dirname(stateDir), 'backups', `state-format-${found}-${now.toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(backup, { recursive: true, mode: 0o700 });
  for (let format = found; format < STATE_FORMAT; format++) {
    const step = STEPS[format];
    if (!step) throw new CrosstalkError('INTERNAL', `no migration from agent state format ${format}`);
    // The first copy of a file is the one from before the migration.
    for (const file of step.files) {
      await copyFile(join(stateDir, file), join(backup, file), constants.COPYFILE_EXCL).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT' && err.code !== 'EEXIST') throw err;
      });
    }
    await step.run(stateDir);
  }
  await writeFormat(stateDir);
  return { from: found, to: STATE_FORMAT, backup };
}
