// Checks on a WebSocket upgrade, all before the handshake: a refused upgrade gets a plain HTTP
// error answer with the usual error body, then the socket is closed.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CrosstalkError, WS_PATH } from '@crosstalk/core';
import { hasTokenInQuery } from '../http/middleware.js';

export function refuseUpgrade(socket: Duplex, error: CrosstalkError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(error.toBody());
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** Lower-case scheme and host, no trailing slash: the form browsers send. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** Throws unless the request is for the link path, carries no URL credentials and no foreign Origin. */
export function checkUpgradeRequest(req: IncomingMessage, allowedOrigins: ReadonlySet<string>): void {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path !== WS_PATH) throw new CrosstalkError('NOT_FOUND', `WebSocket links live at ${WS_PATH}`);
  if (q !== -1 && hasTokenInQuery(url.slice(q))) throw new CrosstalkError('TOKEN_IN_URL');
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins.has(normalizeOrigin(origin))) {
    throw new CrosstalkError('FORBIDDEN_ORIGIN', `WebSocket upgrades from origin ${JSON.stringify(origin.slice(0, 200))} are refused`);
  }
}
