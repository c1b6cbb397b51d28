// Health, enrollment, invites and hosts.
import { createPublicKey } from 'node:crypto';
import {
  checkName,
  CrosstalkError,
  EnrollRequestSchema,
  InviteRequestSchema,
  OLDEST_PROTOCOL,
  PROTOCOL_VERSION,
  type EnrollAnswer,
  type Health,
  type Host,
  type HostsAnswer,
  type InviteAnswer,
  type RevokeAnswer,
} from '@crosstalk/core';
import type { Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { checkInvite, mintInvite } from '../../auth/invites.js';
import { ADMIN_KID } from '../../auth/keys.js';
import { isoNow, type Services } from '../../services.js';
import { hostInfo } from '../../state/views.js';
import { enrollLimit } from '../middleware.js';
import { protocolOf, readBody, requireAdmin, type RelayContext, type RelayEnv } from '../request.js';

const DEFAULT_INVITE_SECONDS = 3600;
const EmptyBody = z.strictObject({});

const hostView = (services: Services, host: Host) => hostInfo(host, services.activity.view(host.name));

export function hostRoutes(app: Hono<RelayEnv>, services: Services, auth: MiddlewareHandler<RelayEnv>): void {
  app.get('/v1/health', (c) => health(c, services));
  app.post('/v1/enroll', enrollLimit(services), (c) => enrollHost(c, services));
  app.post('/v1/invites', auth, (c) => createInvite(c, services));
  app.get('/v1/hosts', auth, (c) => listHosts(c, services));
  app.post('/v1/hosts/:name/revoke', auth, (c) => revokeHost(c, services));
}

function health(c: RelayContext, services: Services): Response {
  return c.json({
    ok: true,
    relayId: services.relayId,
    epoch: services.epoch,
    protocol: protocolOf(c),
    protocols: Array.from({ length: PROTOCOL_VERSION - OLDEST_PROTOCOL + 1 }, (_, i) => OLDEST_PROTOCOL + i),
    version: services.version,
    head: services.ledger.events.durableSeq,
    time: isoNow(services),
  } satisfies Health);
}

/** Checks the key and the invite first: an enrollment the relay answers is on disk. */
async function enrollHost(c: RelayContext, services: Services): Promise<Response> {
  const { ledger } = services;
  const body = await readBody(c, EnrollRequestSchema);
  try {
    createPublicKey({ key: body.publicKey, format: 'jwk' });
  } catch (err) {
    // Whatever crypto objects to (shape, curve, encoding; an ERR_* code), the key cannot verify a token.
    if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    throw new CrosstalkError('INVALID_REQUEST', 'publicKey is not a usable Ed25519 public key');
  }
  const invite = checkInvite(ledger.state, body.invite, body.host, services.now());
  const { durable } = ledger.commit([{ type: 'host.enrolled', at: isoNow(services), host: body.host, publicKey: body.publicKey, invite }]);
  await durable;
  services.logger.info({ host: body.host, invite }, 'host enrolled');
  return c.json({ relayId: services.relayId, epoch: services.epoch, protocol: protocolOf(c), host: body.host } satisfies EnrollAnswer, 201);
}

async function createInvite(c: RelayContext, services: Services): Promise<Response> {
  requireAdmin(c);
  const body = await readBody(c, InviteRequestSchema, {});
  if (body.host === ADMIN_KID) throw new CrosstalkError('INVALID_NAME', `"${ADMIN_KID}" is reserved for the relay admin key`);
  const minted = mintInvite();
  const expiresAt = new Date(services.now() + (body.expiresIn ?? DEFAULT_INVITE_SECONDS) * 1000).toISOString();
  const host = body.host ?? null;
  const { durable } = services.ledger.commit([{ type: 'invite.created', at: isoNow(services), invite: minted.id, hash: minted.hash, host, expiresAt }]);
  await durable;
  services.logger.info({ invite: minted.id, host, expiresAt }, 'invite created');
  return c.json({ invite: minted.code, id: minted.id, host, expiresAt } satisfies InviteAnswer, 201);
}

async function listHosts(c: RelayContext, services: Services): Promise<Response> {
  await services.ledger.settled();
  const hosts = [...services.ledger.state.hosts.values()].map((h) => hostView(services, h));
  return c.json({ hosts } satisfies HostsAnswer);
}

async function revokeHost(c: RelayContext, services: Services): Promise<Response> {
  const { ledger } = services;
  requireAdmin(c);
  const name = checkName('host', c.req.param('name'));
  await readBody(c, EmptyBody, {});
  const host = ledger.state.hosts.get(name);
  if (!host) throw new CrosstalkError('HOST_NOT_FOUND', `no host named ${name}`);
  if (host.revokedAt === null) {
    // Committing closes the host's links at once (see the link hub).
    const { durable } = ledger.commit([{ type: 'host.revoked', at: isoNow(services), host: name }]);
    await durable;
    services.logger.info({ host: name }, 'host revoked');
  } else {
    await ledger.settled();
  }
  return c.json({ host: hostView(services, host) } satisfies RevokeAnswer);
}
