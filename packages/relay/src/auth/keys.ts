// Public keys that may sign tokens: each enrolled host's (from the state) and the admin's. After
// a rotation the key it replaced is still accepted until the end of the overlap. Keys are
// imported once (WebCrypto, as jose verifies with them) and follow re-enrollment and rotation.
import { webcrypto } from 'node:crypto';
import { CrosstalkError, type Ed25519PublicJwk, type Host } from '@crosstalk/core';

export const ADMIN_KID = 'admin';

type CryptoKey = webcrypto.CryptoKey;

/** A key that may sign, with its `x` (which names it) and, for a retiring key, until when (ms). */
export interface SigningKey {
  x: string;
  key: CryptoKey;
  /** Accepted until then (ms since the epoch); null for the current key. */
  until: number | null;
}

export type KeyHolder = { kind: 'admin'; keys: SigningKey[] } | { kind: 'host'; host: Host; keys: SigningKey[] };

/** The admin's keys as the data dir holds them: the current one and, after a rotation, the one it replaced. */
export interface AdminKeys {
  current: Ed25519PublicJwk;
  previous: { publicKey: Ed25519PublicJwk; until: number } | null;
}

export function importKey(jwk: Ed25519PublicJwk): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
}

export class KeyRing {
  private admin: AdminKeys;
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly hosts: ReadonlyMap<string, Host>,
    admin: Ed25519PublicJwk | AdminKeys,
    /** Milliseconds since the epoch; tests move the clock. */
    private readonly now: () => number = Date.now,
  ) {
    this.admin = 'current' in admin ? admin : { current: admin, previous: null };
  }

  /** The admin key now, and the one it replaced while that is still accepted. */
  get adminKeys(): AdminKeys {
    return this.admin;
  }

  setAdminKeys(keys: AdminKeys): void {
    this.admin = keys;
  }

  /** The keys that may sign for a token's `kid`, current first; HOST_UNKNOWN when nobody enrolled under that name. */
  async resolve(kid: string): Promise<KeyHolder> {
    if (kid === ADMIN_KID) {
      const { current, previous } = this.admin;
      return { kind: 'admin', keys: await this.keys(current, previous ? { publicKey: previous.publicKey, until: previous.until } : undefined) };
    }
    const host = this.hosts.get(kid);
    if (!host) throw new CrosstalkError('HOST_UNKNOWN', `no host named ${JSON.stringify(kid.slice(0, 64))} is enrolled with this relay`);
    const previous = host.previousKey ? { publicKey: host.previousKey.publicKey, until: Date.parse(host.previousKey.until) } : undefined;
    return { kind: 'host', host, keys: await this.keys(host.publicKey, previous) };
  }

  private async keys(current: Ed25519PublicJwk, previous: { publicKey: Ed25519PublicJwk; until: number } | undefined): Promise<SigningKey[]> {
    const keys: SigningKey[] = [{ x: current.x, key: await this.import(current), until: null }];
    if (previous && previous.until > this.now()) keys.push({ x: previous.publicKey.x, key: await this.import(previous.publicKey), until: previous.until });
    return keys;
  }

  private import(jwk: Ed25519PublicJwk): Promise<CryptoKey> {
    let key = this.imported.get(jwk.x);
    if (!key) {
      key = importKey(jwk);
      // A key that failed to import is tried again next time; its failure goes to this caller.
      key.catch(() => this.imported.delete(jwk.x));
      // Rotated and re-enrolled keys leave entries behind; a handful per host over a relay's life.
      this.imported.set(jwk.x, key);
    }
    return key;
  }
}
