// The compaction's passes on hand-made logs: openings and tombstones on adjacent lines are all
// found; a tombstone in a torn last line (never acknowledged) removes nothing; every seq stays;
// damage before the end refuses, leaving the log as it was.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../__fixtures__/temp.js';
import { initDataDir } from '../datadir/datadir.js';
import { compactLog } from './compact.js';
import { surveyLog } from './compact-survey.js';
import { encodeRecord } from './record.js';

const r = tempDirs();
const at = '2026-01-01T00:00:00.000Z';
const opened = (seq: number, id: string) =>
  encodeRecord(
    JSON.stringify({ seq, type: 'conversation.opened', at, conversation: { id, topic: 't', turns: [{ n: 1, body: `BODY-${id}` }] }, key: `k${seq}` }),
  );
const tombstone = (seq: number, id: string) =>
  encodeRecord(JSON.stringify({ seq, type: 'conversation.deleted', at, conversation: id, by: 'admin', reason: 'request' }));

async function dataDir(lines: Buffer[]): Promise<string> {
  const dir = join(await r.dir(), 'relay');
  await mkdir(dir, { recursive: true });
  await initDataDir(dir);
  await writeFile(join(dir, 'events.log'), Buffer.concat(lines));
  return dir;
}

describe('compactLog', () => {
  it('finds openings and tombstones on adjacent lines, keeps every seq, ignores a torn tombstone', async () => {
    const dir = await dataDir([opened(1, 'a-1'), opened(2, 'b-2'), opened(3, 'c-3'), tombstone(4, 'a-1'), tombstone(5, 'b-2')]);
    const torn = tombstone(6, 'c-3');
    await appendFile(join(dir, 'events.log'), torn.subarray(0, torn.length - 1));
    const survey = await surveyLog(join(dir, 'events.log'));
    expect([...survey.opened].sort()).toEqual(['a-1', 'b-2', 'c-3']);
    expect([...survey.deleted].sort()).toEqual(['a-1', 'b-2']);
    expect(survey.lines).toBe(5);
    const result = await compactLog(dir);
    expect(result).toMatchObject({ records: 5, purged: 2, conversations: 2 });
    const log = await readFile(join(dir, 'events.log'), 'utf8');
    expect(log).not.toContain('BODY-a-1');
    expect(log).not.toContain('BODY-b-2');
    expect(log).toContain('BODY-c-3');
    expect([...log.matchAll(/\{"seq":(\d+),/g)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a damaged log and leaves it as it was', async () => {
    const bad = Buffer.from(opened(2, 'b-2'));
    bad[bad.length - 20] = (bad[bad.length - 20] as number) ^ 1;
    const dir = await dataDir([opened(1, 'a-1'), bad, tombstone(3, 'a-1')]);
    const before = await readFile(join(dir, 'events.log'));
    await expect(compactLog(dir)).rejects.toMatchObject({ code: 'LOG_CORRUPT' });
    expect((await readFile(join(dir, 'events.log'))).equals(before)).toBe(true);
  });
});
