// The agent state's format: a state dir of format 1 (a fixture written by the release before, kept
// byte for byte) is migrated with a backup and loads as before; a newer format is refused.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../state/store.js';
import { migrateStateDir, STATE_FORMAT } from './state-format.js';

const FIXTURE = fileURLToPath(new URL('../../src/home/__fixtures__/state-format-1', import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function home(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crosstalk-state-format-'));
  dirs.push(dir);
  return dir;
}

describe('agent state format', () => {
  it('migrates a state dir of format 1 with a backup; it loads as before', async () => {
    const stateDir = join(await home(), 'state');
    await cp(FIXTURE, stateDir, { recursive: true });
    const cursor = await readFile(join(stateDir, 'cursor.json'), 'utf8');
    const migration = await migrateStateDir(stateDir, new Date('2026-12-06T08:00:00Z'));
    expect(migration).toMatchObject({ from: 1, to: STATE_FORMAT });
    expect(JSON.parse(await readFile(join(stateDir, 'format.json'), 'utf8'))).toEqual({ format: STATE_FORMAT });
    expect(await readFile(join(migration?.backup as string, 'cursor.json'), 'utf8')).toBe(cursor);
    expect(migration?.backup).toBe(join(stateDir, '..', 'backups', 'state-format-1-2026-12-06T08-00-00-000Z'));

    const { relayId, seq } = JSON.parse(cursor) as { relayId: string; seq: number };
    const loaded = await new StateStore(stateDir).load(relayId);
    expect(loaded.dropped).toBeNull();
    expect(loaded.cursor.seq).toBe(seq);
    const [conversation] = [...loaded.state.conversations.values()];
    // Bodies stay in the conversation's file, not in the loaded state.
    expect(conversation?.turns.map((t) => t.body)).toEqual(['', '']);
    const whole = await new StateStore(stateDir).readConversation(conversation?.id as string);
    expect(whole?.turns.map((t) => t.body)).toEqual(['opened by a relay of data format 1', 'a reply kept across the migration']);
    expect(await migrateStateDir(stateDir)).toBeNull();
  });

  it('stamps a new state dir, and refuses one of a newer format, changing nothing', async () => {
    const fresh = join(await home(), 'state');
    expect(await migrateStateDir(fresh)).toBeNull();
    expect(JSON.parse(await readFile(join(fresh, 'format.json'), 'utf8'))).toEqual({ format: STATE_FORMAT });

    const stateDir = join(await home(), 'state');
    await cp(FIXTURE, stateDir, { recursive: true });
    await writeFile(join(stateDir, 'format.json'), JSON.stringify({ format: STATE_FORMAT + 1 }));
    const cursor = await readFile(join(stateDir, 'cursor.json'), 'utf8');
    await expect(migrateStateDir(stateDir)).rejects.toMatchObject({
      code: 'DATA_FORMAT_TOO_NEW',
      message: expect.stringContaining(`is of format ${STATE_FORMAT + 1}; this agent reads formats up to ${STATE_FORMAT}`),
    });
    expect(await readFile(join(stateDir, 'cursor.json'), 'utf8')).toBe(cursor);
  });
});
