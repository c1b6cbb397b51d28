// Archive, delete and compaction across two hosts, end to end: real CLI processes, a real relay
// and two real agents. Archived copies move to archive/ on both hosts; deleted ones leave both;
// `read` and the log no longer hold a deleted body (the log file once compacted); deleting frees
// the stored-bytes quota; after the compaction's new epoch both agents rebuild byte-identical
// copies, and a copy of a conversation the relay no longer has is moved to the archive folder.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type Host, type Lab } from '../harness/index.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let open: (topic: string, extra?: string[]) => Promise<string>;

const live = (host: Host, id: string) => join(host.home, 'conversations', `${id}.md`);
const archived = (host: Host, id: string) => join(host.home, 'conversations', 'archive', `${id}.md`);
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const text = (path: string) => readFile(path, 'utf8').catch(() => undefined);

async function markdown(id: string): Promise<string> {
  const r = await alpha.run(['read', id]);
  expect(r.exitCode, explain(r)).toBe(0);
  return r.stdout;
}

/** Both hosts hold exactly the relay's rendering of `id` at `path`. */
async function bothHold(id: string, where: (host: Host, id: string) => string): Promise<void> {
  const expected = await markdown(id);
  for (const host of [alpha, beta]) {
    await lab.waitFor(`${host.name}'s copy of ${id} at ${where(host, id)}`, async () => (await text(where(host, id))) === expected);
  }
}

beforeAll(async () => {
  ({ lab, alpha, beta, open } = await twoHosts('archive-delete', { serveArgs: ['--quota-stored-mib', '1'] }));
}, 120_000);
afterAll(() => lab?.cleanup());

describe('archive and delete across two hosts', () => {
  let kept: string;
  let shelved: string;
  let removed: string;

  it('archive moves the copies to archive/ on both hosts and hides the conversation from list', async () => {
    kept = await open('kept');
    shelved = await open('shelved');
    await bothHold(shelved, live);
    const r = await alpha.run(['archive', shelved, '--as', 'a1', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.json()).toEqual({ conversation: shelved, seq: expect.any(Number), archived: true });
    await bothHold(shelved, archived);
    for (const host of [alpha, beta]) expect(await exists(live(host, shelved))).toBe(false);
    const list = await beta.run(['list', '--json']);
    expect(list.json<{ conversations: Array<{ id: string }> }>().conversations.map((c) => c.id)).not.toContain(shelved);
    const all = await beta.run(['list', '--archived']);
    expect(all.stdout).toMatch(new RegExp(`${shelved}\\s+in-progress \\(archived\\)`));
    const again = await beta.run(['archive', shelved, '--as', 'b1']);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain('NOT_MODERATOR');
  });

  it('delete removes the copies on both hosts (also from archive/) and read no longer finds it', async () => {
    removed = await open('removed', ['--body', 'SECRET-OPENING']);
    const reply = await beta.run(['reply', removed, '--as', 'b1', '--body', 'SECRET-REPLY']);
    expect(reply.exitCode, explain(reply)).toBe(0);
    await bothHold(removed, live);
    const early = await alpha.run(['delete', removed, '--as', 'a1']);
    expect(early.stderr).toContain('CONVERSATION_NOT_CLOSED');
    expect((await alpha.run(['close', removed, '--as', 'a1', '--resolution', 'done'])).exitCode).toBe(0);
    const r = await alpha.run(['delete', removed, '--as', 'a1', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.json()).toMatchObject({ conversation: removed, deleted: true });
    // The admin deletes the archived one, still in progress, which someone follows live: the delete ends that.
    const follower = lab.spawn('tail -f', beta.home, ['tail', shelved, '-f']);
    await lab.waitFor('tail -f to print the conversation', () => follower.stdout().includes('About shelved'));
    const admin = await lab.run(lab.relay?.home, ['delete', shelved, '--admin']);
    expect(admin.exitCode, explain(admin)).toBe(0);
    for (const host of [alpha, beta]) {
      for (const path of [live(host, removed), archived(host, shelved), live(host, shelved)]) {
        await lab.waitFor(`${path} to go`, async () => !(await exists(path)));
      }
      await lab.waitFor(`${host.name}'s state of ${removed} to go`, async () => !(await exists(join(host.home, 'state', 'conversations', `${removed}.json`))));
    }
    const ended = await follower.exited;
    expect(ended.exitCode, follower.stderr()).not.toBe(0);
    expect(follower.stderr()).toContain('was deleted');
    const read = await beta.run(['read', removed]);
    expect(read.exitCode).not.toBe(0);
    expect(read.stderr).toContain('CONVERSATION_NOT_FOUND');
    await bothHold(kept, live);
  });

  it('deleting frees the stored-bytes quota', async () => {
    const body = 'q'.repeat(60 * 1024);
    const opened: string[] = [];
    let refused = '';
    for (let i = 0; i < 20 && !refused; i++) {
      const r = await alpha.run(['open', '--as', 'a1', '--topic', `bulk ${i}`, '--with', 'b1', '--body', body]);
      if (r.exitCode === 0) opened.push(r.stdout.trim());
      else refused = r.stderr;
    }
    expect(refused).toContain('QUOTA_EXCEEDED');
    expect(opened.length).toBeGreaterThan(10);
    const del = await lab.run(lab.relay?.home, ['delete', opened[0] as string, '--admin']);
    expect(del.exitCode, explain(del)).toBe(0);
    const after = await alpha.run(['open', '--as', 'a1', '--topic', 'fits again', '--with', 'b1', '--body', body]);
    expect(after.exitCode, explain(after)).toBe(0);
    // Leave room for what follows.
    for (const id of opened.slice(1)) expect((await lab.run(lab.relay?.home, ['delete', id, '--admin'])).exitCode).toBe(0);
  });

  it('compaction removes the bodies from the log; both agents rebuild byte-identical copies and archive what the relay no longer has', async () => {
    const relay = lab.relay;
    if (!relay) throw new Error('no relay');
    const log = join(relay.dataDir, 'events.log');
    expect(await readFile(log, 'utf8')).toContain('SECRET-REPLY');
    const events = await (await relay.adminClient()).events(0);
    expect(JSON.stringify(events)).not.toContain('SECRET');
    // A copy from an older log, beside the live ones: it must end up in the archive folder.
    const stray = 'from-an-old-log-0a1b';
    const strayText = `---\nid: "${stray}"\ntopic: "gone"\n---\n`;
    await writeFile(live(alpha, stray), strayText);
    // The relay runs: it is asked to compact, restarts in place for it, and the command waits.
    const r = await lab.run(relay.home, ['relay', 'compact', '--data-dir', relay.dataDir, '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr).toContain('the relay restarts to compact its log');
    const result = r.json<{ bytesBefore: number; bytesAfter: number; newEpoch: string; purged: number }>();
    expect(result.newEpoch).toEqual(expect.any(String));
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore / 4);
    const compacted = await readFile(log, 'utf8');
    expect(compacted).not.toContain('SECRET');
    // Of the bulk bodies only the one of the conversation still there is left.
    expect(compacted.split('q'.repeat(60 * 1024)).length - 1).toBe(1);
    expect(compacted).toContain('"type":"conversation.deleted"');
    expect((await (await relay.adminClient()).health()).epoch).toBe(result.newEpoch);
    // Asked again, there is nothing left to remove and the relay stays up.
    const again = await lab.run(relay.home, ['relay', 'compact', '--data-dir', relay.dataDir, '--json']);
    expect(again.json()).toMatchObject({ purged: 0, newEpoch: null });
    const head = (await (await relay.adminClient()).health()).head;
    for (const host of [alpha, beta]) {
      await lab.waitFor(`${host.name} to resync to the new epoch`, async () => {
        const cursor = JSON.parse((await text(join(host.home, 'state', 'cursor.json'))) ?? '{}') as { epoch?: string; seq?: number };
        return cursor.epoch === result.newEpoch && (cursor.seq ?? 0) >= head;
      });
    }
    await bothHold(kept, live);
    await lab.waitFor('the stray copy in the archive folder', async () => (await text(archived(alpha, stray))) === strayText);
    expect(await exists(live(alpha, stray))).toBe(false);
    for (const host of [alpha, beta]) {
      expect(await exists(live(host, removed))).toBe(false);
      expect(await exists(archived(host, removed))).toBe(false);
    }
    const read = await alpha.run(['read', removed]);
    expect(read.stderr).toContain('CONVERSATION_NOT_FOUND');
  });
});
