// When a relay URL fails in a way a near miss explains, a short look at the likely right URL: the
// same address over http when https met a plain-http server, the default port when nothing
// listens on the one given, the bare origin when a URL with a path found no endpoint. Only ever
// on the failure path, one health request each, so a working setup never pays for it.
import { CrosstalkError } from '@crosstalk/core';
import type { Transport } from './transport.js';
import { displayUrl } from './unreachable.js';

/** The port `crosstalk up`, `relay serve` and the docker image listen on unless told otherwise. */
export const DEFAULT_RELAY_PORT = '7717';

const LOOK_MS = 1_000;

/** Whether a crosstalk relay answers its health route at `base` (scheme, host, port). */
export async function relayAnswers(transport: Transport, base: string): Promise<boolean> {
  try {
    const res = await transport({ url: `${base}/v1/health`, method: 'GET', headers: { accept: 'application/json' }, timeoutMs: LOOK_MS, maxBytes: 64 * 1024 });
    if (res.status !== 200) return false;
    const json = JSON.parse(res.body.toString('utf8')) as { relayId?: unknown };
    return typeof json.relayId === 'string';
  } catch {
    return false;
  }
}

const TLS_MISMATCH = /^(EPROTO|ECONNRESET|ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG)$/;

/** A better error than "unreachable" when the URL is one step from a relay that answers; else null. */
export async function nearMiss(transport: Transport, relayUrl: string, why: string): Promise<CrosstalkError | null> {
  let u: URL;
  try {
    u = new URL(relayUrl);
  } catch {
    return null;
  }
  if (u.protocol === 'https:' && TLS_MISMATCH.test(why)) {
    const plain = `http://${u.host}`;
    if (await relayAnswers(transport, plain)) {
      return new CrosstalkError('RELAY_UNREACHABLE', `the relay at ${displayUrl(relayUrl)} does not speak https (${why}): it answers plain http`, {
        hint: `use ${plain} (http, not https); for https put a TLS proxy in front of it (docs/DEPLOY.md)`,
        details: { relayUrl: displayUrl(relayUrl), answers: plain },
      });
    }
  }
  if (why === 'ECONNREFUSED' && u.port !== '' && u.port !== DEFAULT_RELAY_PORT) {
    const usual = `${u.protocol}//${u.hostname.includes(':') && !u.hostname.startsWith('[') ? `[${u.hostname}]` : u.hostname}:${DEFAULT_RELAY_PORT}`;
    if (await relayAnswers(transport, usual)) {
      return new CrosstalkError(
        'RELAY_UNREACHABLE',
        `nothing listens on port ${u.port} of ${u.hostname} (${why}); a crosstalk relay answers on port ${DEFAULT_RELAY_PORT}`,
        {
          hint: `use ${usual}, or start the relay you meant on port ${u.port}`,
          details: { relayUrl: displayUrl(relayUrl), answers: usual },
        },
      );
    }
  }
  return null;
}

/** A 404 from a URL with a path: the relay, if it answers at the bare origin, says what to use. */
export async function pathMiss(transport: Transport, relayUrl: string, err: CrosstalkError): Promise<CrosstalkError> {
  let u: URL;
  try {
    u = new URL(relayUrl);
  } catch {
    return err;
  }
  if (u.pathname === '/' || u.pathname === '') return err;
  const found = (await relayAnswers(transport, u.origin)) ? `a crosstalk relay answers at ${u.origin}` : `no crosstalk relay answers under ${u.pathname}`;
  return new CrosstalkError('NOT_FOUND', `${err.message}: the relay URL has a path (${u.pathname}), and ${found}`, {
    hint: `a relay's URL is scheme, host and port only: use ${u.origin}`,
    details: { relayUrl: displayUrl(relayUrl) },
  });
}
