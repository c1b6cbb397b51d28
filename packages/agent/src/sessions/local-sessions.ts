// The sessions joined on this host, with their wake targets: `layout.sessions`. The CLI reads it
// to answer "who am I in this pane"; the relay holds the same registrations.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { NameSchema, schemaOnce, SessionKindSchema, WakeTargetSchema, type Parsed, type WakeTarget } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readJson } from '../fs/read-json.js';

// Built on first use: most CLI calls that load this module never read the file.
const localSession = schemaOnce(() => z.strictObject({ name: NameSchema, kind: SessionKindSchema, wake: WakeTargetSchema, joinedAt: z.string().max(40) }));
const sessionsFile = schemaOnce(() => z.strictObject({ version: z.literal(1), sessions: z.array(localSession()).max(10_000) }));

/** A session joined on this host, with where its terminal is. */
export type LocalSession = Parsed<typeof localSession>;

/** The sessions joined here; a missing or damaged file reads as none. */
export async function readLocalSessions(path: string): Promise<LocalSession[]> {
  const parsed = sessionsFile().safeParse(await readJson(path, 16 * 1024 * 1024));
  return parsed.success ? parsed.data.sessions : [];
}

export async function writeLocalSessions(path: string, sessions: readonly LocalSession[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const sorted = [...sessions].sort((a, b) => a.name.localeCompare(b.name));
  await atomicWriteFile(path, `${JSON.stringify({ version: 1, sessions: sorted }, null, 2)}\n`, { mode: 0o600 });
}

export async function upsertLocalSession(path: string, session: LocalSession): Promise<void> {
  const others = (await readLocalSessions(path)).filter((s) => s.name !== session.name);
  await writeLocalSessions(path, [...others, session]);
}

/** Removes a session; returns whether it was there. */
export async function removeLocalSession(path: string, name: string): Promise<boolean> {
  const all = await readLocalSessions(path);
  const kept = all.filter((s) => s.name !== name);
  if (kept.length === all.length) return false;
  await writeLocalSessions(path, kept);
  return true;
}

/** The session joined in this tmux pane or Windows console, if any. */
export function sessionForTarget(sessions: readonly LocalSession[], target: WakeTarget): LocalSession | undefined {
  return sessions.find((s) => {
    if (target.type === 'tmux' && s.wake.type === 'tmux') return s.wake.pane === target.pane && s.wake.socket === target.socket;
    if (target.type === 'console' && s.wake.type === 'console') return s.wake.pid === target.pid;
    return false;
  });
}
