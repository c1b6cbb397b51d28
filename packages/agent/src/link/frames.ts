// What arrives from the relay, read defensively: every message validated against core's schema,
// and the error body of a refused upgrade. Nothing the relay sends can throw into the link.
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { CrosstalkError, parseJson, RelayEventSchema, ServerMessageSchema, type RelayEvent, type ServerMessage } from '@crosstalk/core';
import { isTurnPosted } from './turn-posted.js';

const MAX_REFUSAL_BYTES = 64 * 1024;
const REFUSAL_TIMEOUT_MS = 5000;

/** A valid message, or null for a binary frame, text that is not JSON, or JSON the protocol does not know. */
export function parseServerMessage(data: WebSocket.RawData, isBinary: boolean): ServerMessage | null {
  if (isBinary) return null;
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  const json = parseJson(text);
  const posted = postedFrame(json);
  if (posted !== undefined) return posted;
  const events = eventsFrame(json);
  if (events !== undefined) return events;
  const parsed = ServerMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

const POST_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A `posted` frame, checked as core's schema checks it but by hand: one comes for every post, and
 * the schema's machinery cost more than the rest of its way (its answer is checked again, with
 * the answer schemas, before the asker gets it). Undefined for any other frame.
 */
export function postedFrame(json: unknown): ServerMessage | null | undefined {
  if (typeof json !== 'object' || json === null || (json as { t?: unknown }).t !== 'posted') return undefined;
  const f = json as Record<string, unknown>;
  const ok =
    Object.keys(f).length === 4 &&
    typeof f.id === 'string' &&
    POST_ID.test(f.id) &&
    Number.isInteger(f.status) &&
    typeof f.answer === 'object' &&
    f.answer !== null &&
    !Array.isArray(f.answer);
  return ok ? (f as ServerMessage) : null;
}

/** The most events one frame may carry (core's schema for the `events` frame). */
const MAX_FRAME_EVENTS = 10_000;

/**
 * An `events` frame, checked as core's schema checks it: its `turn.posted` events by hand
 * (turn-posted.ts: one comes back for every post, and the schema cost more than the rest of the
 * event's way), every other kind by the schema. Null when any event fails; undefined for any
 * other frame.
 */
export function eventsFrame(json: unknown): ServerMessage | null | undefined {
  if (typeof json !== 'object' || json === null || (json as { t?: unknown }).t !== 'events') return undefined;
  const f = json as Record<string, unknown>;
  const list = f.events;
  if (Object.keys(f).length !== 2 || !Array.isArray(list) || list.length > MAX_FRAME_EVENTS) return null;
  const events: RelayEvent[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const e: unknown = list[i];
    if ((e as { type?: unknown } | null)?.type === 'turn.posted') {
      if (!isTurnPosted(e)) return null;
      events[i] = e as RelayEvent;
      continue;
    }
    const parsed = RelayEventSchema.safeParse(e);
    if (!parsed.success) return null;
    events[i] = parsed.data;
  }
  return { t: 'events', events };
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
