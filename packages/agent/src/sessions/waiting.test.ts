import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markWaiting, readWaitMarker, toldByWait } from './waiting.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'ct-waiting-')), 'waiting');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const since = '2026-11-21T10:00:00.000Z';
const alive = () => true;
const dead = () => false;

describe('wait markers', () => {
  it('mark a session as waiting in one conversation while its command runs', async () => {
    const mark = await markWaiting(dir, { session: 'codex-1', conversation: 'talk-1', pid: process.pid, since });
    expect(await toldByWait(dir, 'codex-1', 'talk-1', 5)).toBe(true);
    expect(await toldByWait(dir, 'codex-1', 'talk-2', 5)).toBe(false);
    expect(await toldByWait(dir, 'other', 'talk-1', 5)).toBe(false);
    // A command killed before it could take its mark back does not hold the session for ever.
    expect(await toldByWait(dir, 'codex-1', 'talk-1', 5, dead)).toBe(false);
    if (process.platform !== 'win32') expect((await stat(join(dir, 'codex-1.json'))).mode & 0o777).toBe(0o600);
    await mark.release();
    expect(await readdir(dir)).toEqual([]);
    expect(await toldByWait(dir, 'codex-1', 'talk-1', 5, alive)).toBe(false);
  });

  it('keep the turn a returned wait told of, and only that turn', async () => {
    const mark = await markWaiting(dir, { session: 'codex-1', conversation: 'talk-1', pid: 4242, since });
    await mark.told(7);
    expect(await readWaitMarker(dir, 'codex-1')).toEqual({ session: 'codex-1', conversation: 'talk-1', pid: 4242, since, told: 7 });
    // The command has exited: the mark stands for that turn alone.
    expect(await toldByWait(dir, 'codex-1', 'talk-1', 7, dead)).toBe(true);
    expect(await toldByWait(dir, 'codex-1', 'talk-1', 8, alive)).toBe(false);
    expect(await toldByWait(dir, 'codex-1', 'talk-2', 7, alive)).toBe(false);
  });

  it('leave a later wait of the same session its own mark', async () => {
    const first = await markWaiting(dir, { session: 'codex-1', conversation: 'talk-1', pid: 1001, since });
    await markWaiting(dir, { session: 'codex-1', conversation: 'talk-2', pid: 1002, since });
    await first.release();
    await first.told(3);
    expect(await readWaitMarker(dir, 'codex-1')).toMatchObject({ conversation: 'talk-2', pid: 1002 });
    expect(await toldByWait(dir, 'codex-1', 'talk-2', 1, alive)).toBe(true);
  });

  it('read a damaged, oversized or foreign file as no mark', async () => {
    await markWaiting(dir, { session: 'codex-1', conversation: 'talk-1', pid: 1001, since });
    for (const text of ['{', JSON.stringify({ version: 1, session: 'codex-1', conversation: '../x', pid: 1, since }), `{"pad":"${'x'.repeat(5000)}"}`, '[]']) {
      await writeFile(join(dir, 'codex-1.json'), text);
      expect(await toldByWait(dir, 'codex-1', 'talk-1', 1, alive)).toBe(false);
    }
  });

  it('refuse a session name that is not a name', async () => {
    await expect(markWaiting(dir, { session: '../escape', conversation: 'talk-1', pid: 1, since })).rejects.toThrow();
  });
});
