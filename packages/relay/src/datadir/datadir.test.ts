import { spawn } from 'node:child_process';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relays } from '../__fixtures__/harness.js';
import { repairLog } from '../store/repair.js';
import { initDataDir, readAdminKey, readRelayInfo } from './datadir.js';

const r = relays();
const posix = process.platform !== 'win32';

describe('data dir', () => {
  it('is created once, private, and keeps its identity across restarts', async () => {
    const dataDir = join(await r.dir(), 'relay');
    const first = await initDataDir(dataDir);
    if (posix) {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dataDir, 'admin-key.json'))).mode & 0o777).toBe(0o600);
    }
    const key = await readAdminKey(dataDir);
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), d: expect.any(String) });
    const again = await initDataDir(dataDir);
    expect(again).toEqual(first);
    expect(await readAdminKey(dataDir)).toEqual(key);
    expect(await readRelayInfo(dataDir)).toEqual({ relayId: first.relayId, epoch: first.epoch, createdAt: first.createdAt, url: null, pid: null });
  });

  it('gets a new epoch when its log is replaced', async () => {
    const dataDir = join(await r.dir(), 'relay');
    const first = await initDataDir(dataDir);
    await unlink(join(dataDir, 'events.log'));
    const second = await initDataDir(dataDir);
    expect(second.relayId).toBe(first.relayId);
    expect(second.epoch).not.toBe(first.epoch);
  });

  it('refuses files that are not ours', async () => {
    const dataDir = join(await r.dir(), 'relay');
    await initDataDir(dataDir);
    await writeFile(join(dataDir, 'relay.json'), '{"relayId": 5}');
    await expect(initDataDir(dataDir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(readRelayInfo(join(await r.dir(), 'nothing-here'))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('says where a running relay listens, and forgets it when it stops', async () => {
    const relay = await r.start();
    const info = await readRelayInfo(relay.dataDir);
    expect(info).toMatchObject({ relayId: relay.relay.relayId, url: relay.url, pid: process.pid });
    await r.stop(relay);
    expect((await readRelayInfo(relay.dataDir)).url).toBeNull();
  });
});

describe('data dir lock', () => {
  it('stops a second relay on the same dir', async () => {
    const relay = await r.start();
    await expect(r.start({ dataDir: relay.dataDir })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
    // The first one is unharmed.
    expect((await relay.request(null, 'GET', '/v1/health')).status).toBe(200);
  });

  it("refuses a lock held by another live process and takes over a dead one's", async () => {
    const dataDir = join(await r.dir(), 'relay');
    await initDataDir(dataDir);
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dataDir, 'LOCK'), JSON.stringify({ pid: other.pid }));
      await expect(r.start({ dataDir })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED', details: { pid: other.pid } });
    } finally {
      const exited = new Promise((resolve) => other.once('exit', resolve));
      other.kill('SIGKILL');
      await exited;
    }
    const relay = await r.start({ dataDir });
    expect(JSON.parse(await readFile(join(dataDir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    await r.stop(relay);
    await expect(stat(join(dataDir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('damaged log', () => {
  it('stops the relay with LOG_CORRUPT, and repair keeps the records before the damage', async () => {
    const relay = await r.start();
    const host = await relay.enroll('linux-box');
    await relay.join(host, 'codex-linux');
    await relay.join(host, 'claude-linux');
    const before = relay.relay.epoch;
    const dataDir = relay.dataDir;
    await r.stop(relay);
    const file = join(dataDir, 'events.log');
    const bytes = await readFile(file);
    const lines = bytes.toString('utf8').split('\n');
    const third = Buffer.byteLength(`${lines.slice(0, 2).join('\n')}\n`);
    bytes[third + 20] = (bytes[third + 20] as number) ^ 0x04;
    await writeFile(file, bytes);

    await expect(r.start({ dataDir })).rejects.toMatchObject({ code: 'LOG_CORRUPT', details: { file, offset: third } });
    const result = await repairLog(dataDir);
    expect(result).toMatchObject({ file, records: 2, lastSeq: 2, truncatedAt: third, removedBytes: bytes.length - third, newEpoch: expect.any(String) });
    expect(result.damage?.offset).toBe(third);

    const repaired = await r.start({ dataDir });
    expect(repaired.relay.epoch).toBe(result.newEpoch);
    expect(repaired.relay.epoch).not.toBe(before);
    const events = await repaired.request(repaired.admin, 'GET', '/v1/events');
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(['invite.created', 'host.enrolled']);
    // Repair refuses to touch a log a relay is using.
    await expect(repairLog(dataDir)).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
  });

  it('leaves a sound log alone', async () => {
    const dataDir = join(await r.dir(), 'relay');
    await initDataDir(dataDir);
    expect(await repairLog(dataDir)).toMatchObject({ records: 0, truncatedAt: null, removedBytes: 0, damage: null, newEpoch: null });
  });
});
