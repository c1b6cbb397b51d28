// Sessions blocked in `crosstalk wait` or `crosstalk ask`, one small file each under
// `layout.waitingDir`. Such a session learns of its turn from the command it is running; a wake-up
// line typed into its terminal meanwhile would reach the coding agent as a second prompt once the
// command returns, about a turn it is already taking. The agent reads these files and skips that
// line (docs/WAKE.md). When the command returns with the turn, the file keeps the turn it told
// of (`told`): the command and the agent hear of the turn at the same moment, and whichever acts
// first, the agent must still see that the session knows.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { NameSchema } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { processAlive } from '../os/process-alive.js';
import { readJson } from '../fs/read-json.js';

export interface WaitMarker {
  session: string;
  conversation: string;
  /** The waiting CLI process: a marker whose process is gone (killed) is ignored. */
  pid: number;
  since: string;
  /** The turn the command returned with, once it did. */
  told?: number | undefined;
}

const MarkerSchema = z.strictObject({
  version: z.literal(1),
  session: NameSchema,
  conversation: NameSchema,
  pid: z
    .number()
    .int()
    .positive()
    .max(2 ** 32),
  since: z.string().max(40),
  told: z.number().int().min(1).max(1_000_000).optional(),
});

const MARKER_MAX_BYTES = 4096;

const markerPath = (dir: string, session: string) => join(dir, `${NameSchema.parse(session)}.json`);

export async function readWaitMarker(dir: string, session: string): Promise<WaitMarker | null> {
  const parsed = MarkerSchema.safeParse(await readJson(markerPath(dir, session), MARKER_MAX_BYTES));
  if (!parsed.success) return null;
  const { version: _version, ...marker } = parsed.data;
  return marker;
}

export interface WaitMark {
  /** The command returned with turn `turn`: the agent skips that turn's wake-up line. */
  told(turn: number): Promise<void>;
  /** The command returned without a turn: the mark goes (unless a later wait replaced it). */
  release(): Promise<void>;
}

/** Marks `marker.session` as waiting in `marker.conversation` while `marker.pid` runs. */
export async function markWaiting(dir: string, marker: WaitMarker): Promise<WaitMark> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = markerPath(dir, marker.session);
  const write = (m: WaitMarker) => atomicWriteFile(path, `${JSON.stringify({ version: 1, ...m })}\n`, { mode: 0o600 });
  // Only this command's own mark: a later wait of the same session keeps its own.
  const ours = async () => {
    const now = await readWaitMarker(dir, marker.session);
    return now?.pid === marker.pid && now.conversation === marker.conversation;
  };
  await write(marker);
  return {
    told: async (turn) => {
      if (await ours()) await write({ ...marker, told: turn });
    },
    release: async () => {
      if (await ours()) await rm(path, { force: true });
    },
  };
}

/**
 * Whether `session` knows of `turn` in `conversation` without a typed line: it is blocked in a
 * wait on that conversation right now, or its wait returned with that very turn.
 */
export async function toldByWait(
  dir: string,
  session: string,
  conversation: string,
  turn: number,
  alive: (pid: number) => boolean = processAlive,
): Promise<boolean> {
  const marker = await readWaitMarker(dir, session);
  if (marker === null || marker.conversation !== conversation) return false;
  return marker.told !== undefined ? marker.told === turn : alive(marker.pid);
}
