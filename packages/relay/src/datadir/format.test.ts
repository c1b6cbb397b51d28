// The data dir's format: a data dir of format 1 (a fixture written by the release before, kept
// byte for byte) is migrated at start with a backup and serves everything it held; a newer format
// is refused, at start and by the local admin commands.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relays } from '../__fixtures__/harness.js';
import { readRelayInfo } from './datadir.js';
import { DATA_FORMAT } from './format.js';

const r = relays();
const FIXTURE = fileURLToPath(new URL('../../src/__fixtures__/datadir-format-1', import.meta.url));

async function fixtureCopy(): Promise<string> {
  const dataDir = join(await r.dir(), 'relay');
  await cp(FIXTURE, dataDir, { recursive: true });
  return dataDir;
}

describe('data dir format', () => {
  it('migrates a data dir of format 1 at start, with a backup, and serves what it held', async () => {
    const dataDir = await fixtureCopy();
    const original = await readFile(join(dataDir, 'relay.json'), 'utf8');
    expect(JSON.parse(original).format).toBeUndefined();
    const relay = await r.start({ dataDir });
    const migrated = JSON.parse(await readFile(join(dataDir, 'relay.json'), 'utf8'));
    expect(migrated).toEqual({ ...JSON.parse(original), format: DATA_FORMAT });
    expect(relay.relay.relayId).toBe(migrated.relayId);
    expect(relay.relay.epoch).toBe(migrated.epoch);
    const warn = relay.logs.find((l) => l.includes('data dir migrated'));
    expect(warn).toBeDefined();
    const backup = JSON.parse(warn as string).backup as string;
    expect(backup.startsWith(join(dataDir, 'backups', 'format-1-'))).toBe(true);
    expect(await readFile(join(backup, 'relay.json'), 'utf8')).toBe(original);

    const events = await relay.request(relay.admin, 'GET', '/v1/events?after=0');
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      'invite.created',
      'host.enrolled',
      'invite.created',
      'host.enrolled',
      'session.registered',
      'session.registered',
      'conversation.opened',
      'turn.posted',
    ]);
    const conversations = await relay.request(relay.admin, 'GET', '/v1/conversations');
    const id = conversations.body.conversations[0].id as string;
    const conversation = await relay.request(relay.admin, 'GET', `/v1/conversations/${id}`);
    expect(conversation.body.conversation.turns.map((t: { body: string }) => t.body)).toEqual([
      'opened by a relay of data format 1',
      'a reply kept across the migration',
    ]);

    // A second start finds the current format: nothing to migrate.
    await r.stop(relay);
    const again = await r.start({ dataDir });
    expect(again.logs.some((l) => l.includes('data dir migrated'))).toBe(false);
  });

  it('refuses a data dir of a newer format, changing nothing', async () => {
    const dataDir = await fixtureCopy();
    const newer = { ...JSON.parse(await readFile(join(dataDir, 'relay.json'), 'utf8')), format: DATA_FORMAT + 1 };
    await writeFile(join(dataDir, 'relay.json'), JSON.stringify(newer));
    const log = await readFile(join(dataDir, 'events.log'));
    const refused = await r.start({ dataDir }).then(
      () => null,
      (err: { code?: string; message?: string }) => err,
    );
    expect(refused?.code).toBe('DATA_FORMAT_TOO_NEW');
    expect(refused?.message).toContain(`is of format ${DATA_FORMAT + 1}; this relay reads formats up to ${DATA_FORMAT}`);
    await expect(readRelayInfo(dataDir)).rejects.toMatchObject({ code: 'DATA_FORMAT_TOO_NEW' });
    expect(JSON.parse(await readFile(join(dataDir, 'relay.json'), 'utf8'))).toEqual(newer);
    expect(await readFile(join(dataDir, 'events.log'))).toEqual(log);
  });
});
