// waitForTurn's own steps, with the follow stubbed: the mark for this host's agent, and what a
// mark the file system refuses costs (a warning, not the wait).
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation } from '@crosstalk/core';
import type { FollowOptions } from './follow.js';
import { waitForTurn, type WaitOptions } from './waiting.js';

const shown: Conversation[] = [];
vi.mock('./follow.js', () => ({
  followConversation: async (options: FollowOptions) => {
    for (const c of shown) if (options.onUpdate(c) === true) return 'done';
    return 'aborted';
  },
}));

const conversation = (next: string[]): Conversation => ({ id: 'c-1', status: 'in-progress', next, turns: [], maxTurns: 20 }) as unknown as Conversation;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-waiting-'));
  shown.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const options = (waitingDir: string, warnings: string[]): WaitOptions => ({
  client: {} as WaitOptions['client'],
  signer: {} as WaitOptions['signer'],
  id: 'c-1',
  session: 'a',
  waitingDir,
  pid: process.pid,
  signal: new AbortController().signal,
  warn: (line) => warnings.push(line),
});

describe('waiting for a turn', () => {
  it('returns with the turn and leaves the mark saying which turn it told of', async () => {
    shown.push(conversation(['b']), conversation(['a']));
    const warnings: string[] = [];
    const outcome = await waitForTurn(options(join(dir, 'waiting'), warnings));
    expect(outcome.result).toBe('your-turn');
    expect(await readdir(join(dir, 'waiting'))).toEqual(['a.json']);
    expect(warnings).toEqual([]);
  });

  it('goes on without the mark when the file system refuses it, and says so', async () => {
    await writeFile(join(dir, 'file'), '');
    shown.push(conversation(['a']));
    const warnings: string[] = [];
    const outcome = await waitForTurn(options(join(dir, 'file', 'waiting'), warnings));
    expect(outcome.result).toBe('your-turn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not mark a as waiting in .* \(ENOTDIR\): this host's agent may type a wake-up line about c-1 meanwhile$/);
  });
});
