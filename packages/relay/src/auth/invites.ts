// One-time enrollment invites: `<id>.<secret>`. The log keeps only the id and a SHA-256 of the
// secret; a presented secret is compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CrosstalkError, type RelayState } from '@crosstalk/core';
import { ADMIN_KID } from './keys.js';

const INVITE_PATTERN = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{16,128})$/;

export interface MintedInvite {
  id: string;
  /** What the admin hands over; never logged or stored. */
  code: string;
  hash: string;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The id starts the code a user pastes after `--invite`: a leading `-` would make the command
 * line read it as options (`-V…` printed the version), so it never starts with one.
 */
export function mintInvite(): MintedInvite {
  const id = randomBytes(9).toString('base64url').replace(/^-/, 'x');
  const secret = randomBytes(32).toString('base64url');
  return { id, code: `${id}.${secret}`, hash: hashSecret(secret) };
}

/**
 * Checks an invite for enrolling `host` at `now` (ms). Returns the invite id, or throws the
 * reason it cannot be used. The secret is checked before anything about the invite is revealed.
 */
export function checkInvite(state: RelayState, code: string, host: string, now: number): string {
  const match = INVITE_PATTERN.exec(code);
  if (!match) throw new CrosstalkError('INVITE_INVALID', 'the invite code is not in the form <id>.<secret>');
  const [, id, secret] = match as unknown as [string, string, string];
  const invite = state.invites.get(id);
  const expected = Buffer.from(invite?.hash ?? '0'.repeat(64), 'hex');
  const presented = Buffer.from(hashSecret(secret), 'hex');
  // Compare even for an unknown id, so timing does not tell which ids exist.
  const matches = timingSafeEqual(expected, presented);
  if (!invite || !matches) throw new CrosstalkError('INVITE_INVALID');
  if (invite.usedBy !== null) throw new CrosstalkError('INVITE_USED', `the invite was already used by host ${invite.usedBy}`);
  if (Date.parse(invite.expiresAt) <= now) throw new CrosstalkError('INVITE_EXPIRED', `the invite expired at ${invite.expiresAt}`);
  if (invite.host !== null && invite.host !== host) {
    throw new CrosstalkError('INVITE_HOST_MISMATCH', `the invite is for host ${invite.host}, not ${host}`, { details: { host: invite.host } });
  }
  if (host === ADMIN_KID) throw new CrosstalkError('INVALID_NAME', `"${ADMIN_KID}" is reserved for the relay admin key; choose another host name`);
  const existing = state.hosts.get(host);
  if (existing && existing.revokedAt === null) throw new CrosstalkError('HOST_TAKEN', `host ${host} is already enrolled`);
  return id;
}
