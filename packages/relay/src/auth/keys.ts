// Public keys that may sign tokens: each enrolled host's (from the state) and the admin's.
// Imported key objects are cached and follow re-enrollment with a new key.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { CrosstalkError, type Ed25519PublicJwk, type Host } from '@crosstalk/core';

export const ADMIN_KID = 'admin';

export type KeyHolder = { kind: 'admin'; key: KeyObject } | { kind: 'host'; host: Host; key: KeyObject };

function importKey(jwk: Ed25519PublicJwk): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
}

export class KeyRing {
  private readonly admin: KeyObject;
  private readonly cache = new Map<string, { x: string; key: KeyObject }>();

  constructor(
    private readonly hosts: ReadonlyMap<string, Host>,
    adminPublicKey: Ed25519PublicJwk,
  ) {
    this.admin = importKey(adminPublicKey);
  }

  /** The key for a token's `kid`; HOST_UNKNOWN when nobody enrolled under that name. */
  resolve(kid: string): KeyHolder {
    if (kid === ADMIN_KID) return { kind: 'admin', key: this.admin };
    const host = this.hosts.get(kid);
    if (!host) throw new CrosstalkError('HOST_UNKNOWN', `no host named ${JSON.stringify(kid.slice(0, 64))} is enrolled with this relay`);
    let cached = this.cache.get(kid);
    if (!cached || cached.x !== host.publicKey.x) {
      cached = { x: host.publicKey.x, key: importKey(host.publicKey) };
      this.cache.set(kid, cached);
    }
    return { kind: 'host', host, key: cached.key };
  }
}
