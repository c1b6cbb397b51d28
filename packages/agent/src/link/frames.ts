// What arrives from the relay, read defensively: every message validated against core's schema,
// and the error body of a refused upgrade. Nothing the relay sends can throw into the link.
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { CrosstalkError, parseJson, ServerMessageSchema, type ServerMessage } from '@crosstalk/core';

const MAX_REFUSAL_BYTES = 64 * 1024;
const REFUSAL_TIMEOUT_MS = 5000;

/** A valid message, or null for a binary frame, text that is not JSON, or JSON the protocol does not know. */
export function parseServerMessage(data: WebSocket.RawData, isBinary: boolean): ServerMessage | null {
  if (isBinary) return null;
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  const parsed = ServerMessageSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
}

/** The error body the relay sent when it refused the upgrade; a body that is missing or unreadable leaves the status alone. */
export async function readRefusal(res: IncomingMessage): Promise<CrosstalkError> {
  const body = await readSmallBody(res);
  return CrosstalkError.fromBody(body === null ? undefined : parseJson(body), res.statusCode);
}

/** The response body, or null when it breaks off, runs over the bound or takes too long. */
function readSmallBody(res: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (body: string | null) => {
      clearTimeout(timer);
      resolve(body);
    };
    const timer = setTimeout(() => done(null), REFUSAL_TIMEOUT_MS);
    res.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > MAX_REFUSAL_BYTES) {
        res.destroy();
        done(null);
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    // A refusal whose body breaks off is still a refusal: its status says enough.
    res.on('error', () => done(null));
  });
}
