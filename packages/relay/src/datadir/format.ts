// The data dir's format version, in relay.json (`format`; none: format 1). At start an older
// format is migrated step by step, each step's files copied first to backups/format-<n>-<time>/
// in the data dir; a newer one is refused (DATA_FORMAT_TOO_NEW), so an older relay never misreads
// what a newer one wrote. A snapshot has its own format (store/snapshot.ts) and is not covered here.
//
// A new format: bump DATA_FORMAT and add the step from the one before to STEPS.
import { constants, copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CrosstalkError, parseJson } from '@crosstalk/core';
import { openIfPresent, syncDir, writeFileAtomic } from './files.js';

export const DATA_FORMAT = 2;

interface Step {
  /** Files of the data dir the step rewrites, copied to the backup before it runs. */
  files: readonly string[];
  run(dataDir: string): Promise<void>;
}

/** STEPS[n] takes a data dir from format n to n + 1. */
const STEPS: Record<number, Step> = {
  // Format 2 only states the format in relay.json (written after the steps, below).
  1: { files: ['relay.json'], run: async () => {} },
};

export interface Migration {
  from: number;
  to: number;
  /** Where the files the migration rewrote were copied first. */
  backup: string;
}

/** The format relay.json states (1 when it states none), or null when there is no relay.json. */
async function readFormat(relayFile: string): Promise<{ format: number; value: Record<string, unknown> } | null> {
  const fh = await openIfPresent(relayFile);
  if (!fh) return null;
  let text: string;
  try {
    text = (await fh.readFile('utf8')).slice(0, 64 * 1024);
  } finally {
    await fh.close();
  }
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const format = (value as { format?: unknown }).format;
  if (format === undefined) return { format: 1, value: value as Record<string, unknown> };
  if (typeof format !== 'number' || !Number.isSafeInteger(format) || format < 1) {
    throw new CrosstalkError('CONFIG_INVALID', `${relayFile} states no valid format version`, { details: { file: relayFile } });
  }
  return { format, value: value as Record<string, unknown> };
}

export function formatTooNew(dataDir: string, found: number): CrosstalkError {
  return new CrosstalkError(
    'DATA_FORMAT_TOO_NEW',
    `the data dir ${dataDir} is of format ${found}; this relay reads formats up to ${DATA_FORMAT}: a newer crosstalk wrote it`,
    { details: { dataDir, found, supported: DATA_FORMAT } },
  );
}

/** Refuses a data dir of a newer format; null when it has no relay.json yet. */
export async function checkFormat(dataDir: string): Promise<number | null> {
  const found = await readFormat(join(dataDir, 'relay.json'));
  if (found && found.format > DATA_FORMAT) throw formatTooNew(dataDir, found.format);
  return found?.format ?? null;
}

/** Brings an existing data dir to DATA_FORMAT; null when it was there already (or is new). */
export async function migrateDataDir(dataDir: string, now: Date = new Date()): Promise<Migration | null> {
  const relayFile = join(dataDir, 'relay.json');
  const found = await readFormat(relayFile);
  if (!found || found.format === DATA_FORMAT) return null;
  if (found.format > DATA_FORMAT) throw formatTooNew(dataDir, found.format);
  const backup = join(dataDir, 'backups', `format-${found.format}-${now.toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(backup, { recursive: true, mode: 0o700 });
  for (let format = found.format; format < DATA_FORMAT; format++) {
    const step = STEPS[format];
    if (!step) throw new CrosstalkError('INTERNAL', `no migration from data dir format ${format}`);
    // The first copy of a file is the one from before the migration.
    for (const file of step.files) await copyFile(join(dataDir, file), join(backup, file), constants.COPYFILE_EXCL).catch(ignoreMissing);
    await syncDir(backup);
    await step.run(dataDir);
  }
  const current = (await readFormat(relayFile))?.value ?? found.value;
  await writeFileAtomic(relayFile, `${JSON.stringify({ ...current, format: DATA_FORMAT }, null, 2)}\n`, 0o644);
  return { from: found.format, to: DATA_FORMAT, backup };
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT' && err.code !== 'EEXIST') throw err;
}
