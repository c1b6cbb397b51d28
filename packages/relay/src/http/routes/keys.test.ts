// Key rotation at the relay: the new key works at once, the old one until the overlap ends and
// never after (not even after a restart), a rotation not signed with the current key is refused,
// links signed with the old key are closed when the overlap ends, and the log records each change.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generateEd25519, tokenSigner } from '@crosstalk/core/token';
import { waitFor } from '@crosstalk/core/test-support';
import { describe, expect, it } from 'vitest';
import { relays } from '../../__fixtures__/harness.js';
import { readAdminKey } from '../../datadir/datadir.js';

const r = relays();
const OVERLAP_MS = 1500;

describe('host key rotation', () => {
  it('new key at once, old key during the overlap only, and an event in the log', async () => {
    const relay = await r.start({ keyOverlapMs: OVERLAP_MS });
    const linux = await relay.enroll('linux-box');
    const oldLink = await r.link(relay, linux.signer);
    await oldLink.welcome();
    const { privateJwk, publicJwk } = await generateEd25519();
    const rotated = await relay.request(linux.signer, 'POST', '/v1/hosts/linux-box/key', { publicKey: publicJwk });
    expect(rotated.status).toBe(200);
    expect(rotated.body.publicKey).toEqual(publicJwk);
    const until = Date.parse(rotated.body.previousUntil);
    const fresh = await tokenSigner(privateJwk, 'linux-box', relay.relay.relayId);

    expect((await relay.request(fresh, 'GET', '/v1/sessions')).status).toBe(200);
    expect((await relay.request(linux.signer, 'GET', '/v1/sessions')).status).toBe(200);
    // A second rotation signed with the key on its way out is refused.
    const again = await relay.request(linux.signer, 'POST', '/v1/hosts/linux-box/key', { publicKey: (await generateEd25519()).publicJwk });
    expect([again.status, again.body.code, again.body.message]).toEqual([401, 'AUTH_INVALID', expect.stringContaining('signed with the current key')]);

    // The overlap ends: the old key is refused and its link closed (4007: reconnect with a fresh token).
    expect((await oldLink.closed).code).toBe(4007);
    expect(Date.now()).toBeGreaterThanOrEqual(until - 50);
    const late = await relay.request(linux.signer, 'GET', '/v1/sessions');
    expect([late.status, late.body.code]).toEqual([401, 'AUTH_INVALID']);
    expect((await relay.request(fresh, 'GET', '/v1/sessions')).status).toBe(200);
    const newLink = await r.link(relay, fresh);
    await newLink.welcome();

    const events = await relay.request(relay.admin, 'GET', '/v1/events?after=0');
    const event = events.body.events.find((e: { type: string }) => e.type === 'host.key-rotated');
    expect(event).toMatchObject({ host: 'linux-box', publicKey: publicJwk, previousUntil: rotated.body.previousUntil });

    // After a restart the state still knows the new key and refuses the old one.
    await r.stop(relay);
    const again2 = await r.start({ dataDir: relay.dataDir, keyOverlapMs: OVERLAP_MS });
    expect((await again2.request(await tokenSigner(privateJwk, 'linux-box', again2.relay.relayId), 'GET', '/v1/sessions')).status).toBe(200);
    expect((await again2.request(linux.signer, 'GET', '/v1/sessions')).body.code).toBe('AUTH_INVALID');
  });

  it('refuses a rotation not signed by the host itself with its current key', async () => {
    const relay = await r.start({ keyOverlapMs: OVERLAP_MS });
    const linux = await relay.enroll('linux-box');
    const win = await relay.enroll('win-laptop');
    const { publicJwk } = await generateEd25519();
    const byOther = await relay.request(win.signer, 'POST', '/v1/hosts/linux-box/key', { publicKey: publicJwk });
    expect([byOther.status, byOther.body.code]).toEqual([401, 'AUTH_INVALID']);
    const byAdmin = await relay.request(relay.admin, 'POST', '/v1/hosts/linux-box/key', { publicKey: publicJwk });
    expect([byAdmin.status, byAdmin.body.code]).toEqual([401, 'AUTH_INVALID']);
    // A key pair the relay never saw, claiming to be linux-box.
    const stranger = await tokenSigner((await generateEd25519()).privateJwk, 'linux-box', relay.relay.relayId);
    const forged = await relay.request(stranger, 'POST', '/v1/hosts/linux-box/key', { publicKey: publicJwk });
    expect([forged.status, forged.body.code]).toEqual([401, 'AUTH_INVALID']);
    const unsigned = await relay.request(null, 'POST', '/v1/hosts/linux-box/key', { publicKey: publicJwk });
    expect([unsigned.status, unsigned.body.code]).toEqual([401, 'AUTH_REQUIRED']);
    const badKey = await relay.request(linux.signer, 'POST', '/v1/hosts/linux-box/key', { publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(42) } });
    expect(badKey.status).toBe(400);
    // Nothing changed: the enrolled key still works, and no rotation is in the log.
    expect((await relay.request(linux.signer, 'GET', '/v1/sessions')).status).toBe(200);
    const events = await relay.request(relay.admin, 'GET', '/v1/events?after=0');
    expect(events.body.events.some((e: { type: string }) => e.type === 'host.key-rotated')).toBe(false);
  });
});

describe('admin key rotation', () => {
  it('the relay writes a new admin key (0600); the old one works during the overlap only', async () => {
    const relay = await r.start({ keyOverlapMs: OVERLAP_MS });
    const oldKey = await readAdminKey(relay.dataDir);
    const rotated = await relay.request(relay.admin, 'POST', '/v1/admin/key');
    expect(rotated.status).toBe(200);
    const newKey = await readAdminKey(relay.dataDir);
    expect(newKey.x).not.toBe(oldKey.x);
    expect(rotated.body.publicKey.x).toBe(newKey.x);
    if (process.platform !== 'win32') expect((await stat(join(relay.dataDir, 'admin-key.json'))).mode & 0o777).toBe(0o600);
    const fresh = await tokenSigner(newKey, 'admin', relay.relay.relayId);
    expect((await relay.request(fresh, 'POST', '/v1/invites')).status).toBe(201);
    expect((await relay.request(relay.admin, 'POST', '/v1/invites')).status).toBe(201);
    const again = await relay.request(relay.admin, 'POST', '/v1/admin/key');
    expect([again.status, again.body.code]).toEqual([401, 'AUTH_INVALID']);
    const byHost = await relay.request((await relay.enroll('linux-box')).signer, 'POST', '/v1/admin/key');
    expect([byHost.status, byHost.body.code]).toEqual([403, 'ADMIN_REQUIRED']);

    await waitFor('the overlap to end', () => Date.now() > Date.parse(rotated.body.previousUntil) + 50);
    expect((await relay.request(relay.admin, 'POST', '/v1/invites')).body.code).toBe('AUTH_INVALID');
    expect((await relay.request(fresh, 'POST', '/v1/invites')).status).toBe(201);
    const events = await relay.request(fresh, 'GET', '/v1/events?after=0');
    expect(events.body.events.find((e: { type: string }) => e.type === 'admin.key-rotated')).toMatchObject({
      publicKey: { x: newKey.x },
      previousKey: { x: oldKey.x },
    });

    // A restart within the overlap keeps it; after it, only the new key.
    await r.stop(relay);
    const restarted = await r.start({ dataDir: relay.dataDir, keyOverlapMs: OVERLAP_MS });
    expect((await restarted.request(await tokenSigner(oldKey, 'admin', restarted.relay.relayId), 'POST', '/v1/invites')).body.code).toBe('AUTH_INVALID');
    expect((await restarted.request(restarted.admin, 'POST', '/v1/invites')).status).toBe(201);
  });
});
