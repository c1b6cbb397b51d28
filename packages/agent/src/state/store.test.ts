import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEvent, decideOpen, emptyState } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import { StateStore } from './store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A store holding one conversation, `talk-1`, as of its cursor. */
async function storeWithOneConversation(): Promise<StateStore> {
  const r = new MemoryRelay();
  r.register('a', 'h1');
  r.register('b', 'h2');
  r.commit(
    decideOpen(r.state, {
      actor: { kind: 'session', session: 'a', host: 'h1' },
      id: 'talk-1',
      topic: 'a talk',
      with: ['b'],
      body: 'one',
      key: 'k1',
      at: r.now(),
    }),
  );
  const state = emptyState();
  for (const event of r.log) applyEvent(state, event);
  const store = new StateStore(dir);
  await store.ensureDirs();
  await store.writeConversation(state.conversations.get('talk-1')!);
  await store.writeSessions(state.sessions.values());
  await store.writeCursor({ relayId: 'relay-1', epoch: 'e1', seq: state.seq });
  return store;
}

describe('StateStore.load', () => {
  it('reads back what it wrote', async () => {
    const store = await storeWithOneConversation();
    const loaded = await store.load('relay-1');
    expect(loaded.dropped).toBeNull();
    expect([...loaded.state.conversations.keys()]).toEqual(['talk-1']);
  });

  it('stops with FILE_UNREADABLE when a conversation file cannot be read, and keeps the state', async () => {
    const store = await storeWithOneConversation();
    // A directory where a conversation file should be: reading it fails as a permission error would (EISDIR).
    await mkdir(join(dir, 'conversations', 'talk-2.json'));
    await expect(store.load('relay-1')).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringContaining('talk-2.json') });
    expect((await readdir(join(dir, 'conversations'))).sort()).toEqual(['talk-1.json', 'talk-2.json']);
  });

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')(
    'stops with FILE_UNREADABLE when a conversation file is not readable by this user',
    async () => {
      const store = await storeWithOneConversation();
      await chmod(join(dir, 'conversations', 'talk-1.json'), 0o000);
      await expect(store.load('relay-1')).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringContaining('EACCES') });
    },
  );

  it('drops the state when a conversation file is damaged', async () => {
    const store = await storeWithOneConversation();
    await writeFile(join(dir, 'conversations', 'talk-1.json'), '{"not":"a conversation"}');
    const loaded = await store.load('relay-1');
    expect(loaded.dropped).toContain('talk-1.json is damaged');
    expect(loaded.state.conversations.size).toBe(0);
  });
});
