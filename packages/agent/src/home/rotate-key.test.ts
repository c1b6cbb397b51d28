// `agent rotate-key` against a real relay: the home gets the new key (owner-only) and the relay
// takes it; a rotation whose answer was lost is finished by the next run instead of made twice; a
// key the relay never took is dropped; a refused rotation leaves the home as it was.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRelayClient } from '@crosstalk/client';
import { generateEd25519, tokenSigner, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lab, type Home } from '../__fixtures__/lab.js';
import { readHostKey, writeHostKey } from './host-key.js';
import { rotateHostKey } from './rotate-key.js';

let lab: Lab;
beforeEach(async () => {
  lab = await Lab.start();
});
afterEach(() => lab.cleanup());

const nextPath = (home: Home) => join(home.layout.home, 'host-key.next.json');
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Whether the relay accepts a token signed with `key` for this host. */
async function accepted(home: Home, key: Ed25519PrivateJwk): Promise<boolean | string> {
  const client = createRelayClient({ relayUrl: lab.url, signer: await tokenSigner(key, home.config.host, home.config.relayId) });
  return client.listHosts().then(
    () => true,
    (err: { code?: string }) => err.code ?? String(err),
  );
}

describe('rotateHostKey', () => {
  it('replaces host-key.json with a key the relay takes, owner-only, leaving no next file', async () => {
    const home = await lab.home('rotating');
    const result = await rotateHostKey({ layout: home.layout });
    const now = await readHostKey(home.layout.hostKey);
    expect(now.x).not.toBe(home.key.x);
    expect(result).toEqual({ host: 'rotating', publicKey: now.x, previousUntil: expect.any(String) });
    if (process.platform !== 'win32') expect((await stat(home.layout.hostKey)).mode & 0o777).toBe(0o600);
    expect(await exists(nextPath(home))).toBe(false);
    expect(await accepted(home, now)).toBe(true);
    // The default overlap: the old key still works for now.
    expect(await accepted(home, home.key)).toBe(true);
  });

  it('finishes a rotation whose answer was lost, instead of making another', async () => {
    const home = await lab.home('interrupted');
    // The relay took the key, but the home never learned it: the key is still in the next file.
    const { privateJwk, publicJwk } = await generateEd25519();
    await writeHostKey(nextPath(home), privateJwk);
    await home.client.rotateHostKey('interrupted', { publicKey: publicJwk });
    const result = await rotateHostKey({ layout: home.layout });
    expect(result).toEqual({ host: 'interrupted', publicKey: publicJwk.x, previousUntil: null });
    expect((await readHostKey(home.layout.hostKey)).x).toBe(publicJwk.x);
    expect(await exists(nextPath(home))).toBe(false);
    const events = await lab.admin.events(0);
    expect(events.events.filter((e) => e.type === 'host.key-rotated')).toHaveLength(1);
  });

  it('drops a next key the relay never took, and rotates', async () => {
    const home = await lab.home('stale-next');
    const stale = await generateEd25519();
    await writeHostKey(nextPath(home), stale.privateJwk);
    const result = await rotateHostKey({ layout: home.layout });
    expect(result.publicKey).not.toBe(stale.publicJwk.x);
    expect(result.previousUntil).not.toBeNull();
    expect(await accepted(home, await readHostKey(home.layout.hostKey))).toBe(true);
    expect(await accepted(home, stale.privateJwk)).toBe('AUTH_INVALID');
  });

  it('leaves the home as it was when the relay refuses the rotation', async () => {
    const home = await lab.home('refused');
    // A key the relay does not know for this host: the rotation request is not signed by the host.
    const forged = await generateEd25519();
    await writeFile(home.layout.hostKey, `${JSON.stringify(forged.privateJwk)}\n`, { mode: 0o600 });
    const before = await readFile(home.layout.hostKey, 'utf8');
    await expect(rotateHostKey({ layout: home.layout })).rejects.toMatchObject({ code: 'AUTH_INVALID' });
    expect(await readFile(home.layout.hostKey, 'utf8')).toBe(before);
    expect(await exists(nextPath(home))).toBe(false);
    expect(await accepted(home, home.key)).toBe(true);
  });
});
