// Key rotation. A host sends its new public key signed with its current key; the relay admin asks
// the relay, which keeps the admin key in its data dir, to make a new admin key pair. Either way the
// replaced key is still accepted for the overlap (keyOverlapMs), then refused, and the log records
// the change. A request signed with a key that is itself on its way out rotates nothing.
import { createPublicKey } from 'node:crypto';
import { checkName, CrosstalkError, RotateKeyRequestSchema, type KeyRotatedAnswer } from '@crosstalk/core';
import { generateEd25519 } from '@crosstalk/core/token';
import type { Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { publicPart, readAdminKeyFile, writeAdminKeyFile } from '../../datadir/datadir.js';
import { isoNow, type Services } from '../../services.js';
import { principalOf, readBody, requireAdmin, type RelayContext, type RelayEnv } from '../request.js';

const EmptyBody = z.strictObject({});

export function keyRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  // One admin rotation at a time: the file and the key ring change together.
  let adminRotation: Promise<unknown> = Promise.resolve();
  app.post('/v1/hosts/:name/key', auth, (c) => rotateHostKey(c, services));
  app.post('/v1/admin/key', auth, (c) => {
    const next = adminRotation.then(() => rotateAdminKey(c, services));
    adminRotation = next.catch(() => undefined);
    return next;
  });
}

function notCurrent(): CrosstalkError {
  return new CrosstalkError('AUTH_INVALID', 'a key rotation must be signed with the current key, not with the one it replaced', {
    hint: 'the key was rotated already; sign with the new key (a running agent and the CLI read it from the crosstalk home)',
  });
}

async function rotateHostKey(c: RelayContext, services: Services): Promise<Response> {
  const { ledger } = services;
  const name = checkName('host', c.req.param('name'));
  const principal = principalOf(c);
  if (principal.kind !== 'host' || principal.host !== name) {
    throw new CrosstalkError('AUTH_INVALID', `only host ${name} itself may replace its key, signing with its current key`, {
      hint: 'run `crosstalk agent rotate-key` on that host; an admin revokes a lost key instead (`crosstalk relay revoke`)',
    });
  }
  const body = await readBody(c, RotateKeyRequestSchema);
  const host = ledger.state.hosts.get(name);
  if (!host) throw new CrosstalkError('HOST_NOT_FOUND', `no host named ${name}`);
  if (principal.key !== host.publicKey.x) throw notCurrent();
  usableKey(body.publicKey);
  if (body.publicKey.x === host.publicKey.x) throw new CrosstalkError('INVALID_REQUEST', 'the new key is the key in use; make a new key pair');
  const previousUntil = new Date(services.now() + services.keyOverlapMs).toISOString();
  const { events, durable } = ledger.commit([
    { type: 'host.key-rotated', at: isoNow(services), host: name, publicKey: body.publicKey, previousKey: host.publicKey, previousUntil },
  ]);
  await durable;
  services.logger.info({ host: name, previousUntil }, 'host key rotated');
  return c.json({ publicKey: body.publicKey, previousUntil, seq: events[0]?.seq ?? 0 } satisfies KeyRotatedAnswer, 200);
}

/**
 * The new admin key is made here and written over admin-key.json (mode 0600, atomically, with the
 * replaced key's public part and the end of its overlap), after the event is on disk: the log
 * never misses a rotation that took effect.
 */
async function rotateAdminKey(c: RelayContext, services: Services): Promise<Response> {
  requireAdmin(c);
  const principal = principalOf(c);
  await readBody(c, EmptyBody, {});
  const { keys, ledger } = services;
  if (principal.key !== keys.adminKeys.current.x) throw notCurrent();
  const file = await readAdminKeyFile(services.dataDir);
  const { privateJwk, publicJwk } = await generateEd25519();
  const previousKey = publicPart(file.key);
  const until = services.now() + services.keyOverlapMs;
  const previousUntil = new Date(until).toISOString();
  const { events, durable } = ledger.commit([{ type: 'admin.key-rotated', at: isoNow(services), publicKey: publicJwk, previousKey, previousUntil }]);
  await durable;
  await writeAdminKeyFile(services.dataDir, { key: privateJwk, previous: { publicKey: previousKey, until: previousUntil } });
  keys.setAdminKeys({ current: publicJwk, previous: { publicKey: previousKey, until } });
  services.logger.info({ previousUntil }, 'admin key rotated');
  return c.json({ publicKey: publicJwk, previousUntil, seq: events[0]?.seq ?? 0 } satisfies KeyRotatedAnswer, 200);
}

/** Whatever crypto objects to (shape, curve, encoding), the key cannot verify a token. */
function usableKey(jwk: { kty: string; crv: string; x: string }): void {
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
  } catch (err) {
    if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    throw new CrosstalkError('INVALID_REQUEST', 'publicKey is not a usable Ed25519 public key');
  }
}
