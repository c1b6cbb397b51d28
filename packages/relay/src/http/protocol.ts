// Every request states its protocol version in a header (none: version 2, which predates it). The
// relay serves its own version and the one before; any other gets PROTOCOL_TOO_OLD or
// PROTOCOL_TOO_NEW naming both versions. The answer states the version it speaks.
import { checkProtocol, CrosstalkError, parseProtocolHeader, PROTOCOL_HEADER, PROTOCOL_VERSION, protocolRefusal } from '@crosstalk/core';
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../services.js';
import type { RelayEnv } from './request.js';

/** Health answers every version: it is how a client finds out what the relay speaks. */
const ANY_VERSION = new Set(['/v1/health']);

export function protocolCheck(services: Services): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const stated = parseProtocolHeader(c.req.header(PROTOCOL_HEADER));
    if (stated === null) throw new CrosstalkError('INVALID_REQUEST', `the ${PROTOCOL_HEADER} header must be a protocol version number`);
    const check = checkProtocol(stated);
    if (!check.ok && !ANY_VERSION.has(c.req.path)) throw protocolRefusal(stated, services.version);
    c.set('protocol', check.ok ? stated : PROTOCOL_VERSION);
    await next();
    c.res.headers.set(PROTOCOL_HEADER, String(c.get('protocol')));
  };
}
