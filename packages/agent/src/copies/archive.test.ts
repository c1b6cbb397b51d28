// The archive folder: an archived conversation's copy is written there and leaves the live
// folder; a deleted conversation loses its copies and state wherever they are; after the relay's
// log was replaced, copies of conversations the relay no longer has move there, and files that
// are not copies of ours stay where they are.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideArchive, decideClose, decideDelete, decideOpen, renderConversation } from '@crosstalk/core';
import { MemoryRelay } from '@crosstalk/core/test-support';
import { Replica } from '../state/replica.js';
import { StateStore } from '../state/store.js';
import { archiveOrphans } from './archive.js';

const quiet = { info: () => {}, warn: () => {} };
let dir: string;
let copies: string;
let stateDir: string;
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-archive-'));
  copies = join(dir, 'conversations');
  stateDir = join(dir, 'state');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function relayWith(ids: string[]): MemoryRelay {
  const r = new MemoryRelay();
  r.register('a', 'h1');
  r.register('b', 'h2');
  for (const id of ids) {
    r.commit(
      decideOpen(r.state, { actor: { kind: 'session', session: 'a', host: 'h1' }, id, topic: id, with: ['b'], body: `about ${id}`, key: id, at: r.now() }),
    );
  }
  return r;
}

const open = () => Replica.open({ store: new StateStore(stateDir), copiesDir: copies, relayId: 'relay-1', log: quiet });
const admin = { kind: 'admin' } as const;

describe('archive folder', () => {
  it('an archived copy moves to archive/, a deleted one leaves both folders and its state goes', async () => {
    const r = relayWith(['kept-1', 'shelved-2', 'gone-3']);
    const replica = await open();
    await replica.apply(r.log);
    expect(await exists(join(copies, 'shelved-2.md'))).toBe(true);
    const from = r.log.length;
    r.commit(decideArchive(r.state, { actor: admin, conversation: 'shelved-2', at: r.now() }));
    r.commit(decideArchive(r.state, { actor: admin, conversation: 'gone-3', at: r.now() }));
    await replica.apply(r.log.slice(from));
    expect(await exists(join(copies, 'shelved-2.md'))).toBe(false);
    expect(await readFile(join(copies, 'archive', 'shelved-2.md'), 'utf8')).toBe(renderConversation(r.state.conversations.get('shelved-2')!));
    expect(replica.copyPath('shelved-2')).toBe(join(copies, 'archive', 'shelved-2.md'));
    const next = r.log.length;
    r.commit(decideClose(r.state, { actor: admin, conversation: 'gone-3', resolution: 'done', at: r.now() }));
    r.commit(decideDelete(r.state, { actor: admin, conversation: 'gone-3', at: r.now() }));
    const outcome = await replica.apply(r.log.slice(next));
    expect(outcome.deleted).toEqual(['gone-3']);
    expect(await exists(join(copies, 'archive', 'gone-3.md'))).toBe(false);
    expect(await exists(join(stateDir, 'conversations', 'gone-3.json'))).toBe(false);
    expect(replica.conversation('gone-3')).toBeUndefined();
    // A restart loads the same: the archived copy stays in archive/.
    await replica.persistCursor();
    const again = await open();
    expect([...again.state.conversations.keys()].sort()).toEqual(['kept-1', 'shelved-2']);
    expect(await exists(join(copies, 'shelved-2.md'))).toBe(false);
  });

  it('a tombstone removes a copy the replica never held (it came from an older log)', async () => {
    const r = relayWith(['old-1']);
    const first = await open();
    await first.apply(r.log);
    const tombstone = r.commit(decideDelete(r.state, { actor: admin, conversation: 'old-1', at: r.now() }));
    // A new log where the conversation's events were purged: the replica starts empty.
    await first.adoptEpoch('epoch-2', true);
    await first.apply([
      { seq: 1, at: r.now(), type: 'conversation.purged', conversation: 'old-1' },
      { ...tombstone[0]!, seq: 2 },
    ] as never);
    expect(await exists(join(copies, 'old-1.md'))).toBe(false);
  });

  it('moves copies of conversations not held into archive/, and leaves other files alone', async () => {
    const r = relayWith(['live-1']);
    const replica = await open();
    await replica.apply(r.log);
    const stale = `---\nid: "stale-2"\ntopic: "x"\n---\n`;
    await writeFile(join(copies, 'stale-2.md'), stale);
    await writeFile(join(copies, 'notes.md'), 'my own notes\n');
    await writeFile(join(copies, 'other-3.md'), '---\nid: "someone-else"\n---\n');
    expect(await replica.archiveOrphans()).toEqual(['stale-2']);
    expect(await readFile(join(copies, 'archive', 'stale-2.md'), 'utf8')).toBe(stale);
    expect(await exists(join(copies, 'stale-2.md'))).toBe(false);
    for (const kept of ['live-1.md', 'notes.md', 'other-3.md']) expect(await exists(join(copies, kept))).toBe(true);
    expect(await archiveOrphans(join(dir, 'missing'), new Set())).toEqual([]);
  });
});
