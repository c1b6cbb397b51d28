// WebSocket messages of the link (docs/PROTOCOL.md): what a client sends, what the relay sends.
import * as z from 'zod';
import { relayEvent } from './events.js';
import { SESSION_STATES } from '../session-state.js';
import { iso, NameSchema, seq } from './fields.js';
import { schemaOnce } from './lazy.js';
import { receiptBody } from './sessions.js';

/** Screen lines a peek carries at most, and characters per line (the frame stays small). */
export const PEEK_LIMITS = { lines: 200, lineChars: 500 } as const;
const peekId = schemaOnce(() => z.string().regex(/^[0-9a-f]{16,32}$/));

/** What a link's `post` frame may post: the HTTP API's posting routes. */
export const LINK_POST_OPS = ['open', 'turn', 'moderate', 'close', 'receipt'] as const;
export type LinkPostOp = (typeof LINK_POST_OPS)[number];
const postId = schemaOnce(() => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/));

export const clientMessage = schemaOnce(() =>
  z.discriminatedUnion('t', [
    z.strictObject({
      t: z.literal('hello'),
      protocol: z.number().int().min(1).max(1000),
      /** `agent`: the host's one link (replaces an older one); `watch`: a read-only stream (tail, wait). */
      role: z.enum(['agent', 'watch']),
      epoch: z.string().max(64).nullable(),
      cursor: seq(),
    }),
    z.strictObject({ t: z.literal('receipt'), receipt: receiptBody() }),
    z.strictObject({
      t: z.literal('presence'),
      sessions: z.record(NameSchema, z.enum(['online', 'offline'])),
      /** What each session is doing, from its coding agent's hooks, and since when (SPEC §6). */
      states: z.record(NameSchema, z.strictObject({ state: z.enum(SESSION_STATES), since: iso() })).optional(),
    }),
    z.strictObject({ t: z.literal('replay'), after: seq() }),
    z.strictObject({ t: z.literal('ack'), seq: seq() }),
    /** A change the agent posts for its user (the body is what the HTTP route takes, checked by the relay as there). */
    z.strictObject({ t: z.literal('post'), id: postId(), op: z.enum(LINK_POST_OPS), conversation: NameSchema.optional(), body: z.unknown() }),
    /** The screen a `peek` asked for, or why not (an error code of the catalogue, and its message). */
    z.strictObject({
      t: z.literal('peeked'),
      id: peekId(),
      lines: z.array(z.string().max(PEEK_LIMITS.lineChars)).max(PEEK_LIMITS.lines).optional(),
      error: z
        .strictObject({
          code: z.enum(['SPAWN_REFUSED', 'SESSION_NOT_FOUND', 'INVALID_REQUEST']),
          message: z.string().max(1000),
          rule: z.string().max(64).optional(),
        })
        .optional(),
    }),
  ]),
);

export const serverMessage = schemaOnce(() =>
  z.discriminatedUnion('t', [
    z.strictObject({
      t: z.literal('welcome'),
      protocol: z.number().int(),
      relayId: z.string().max(64),
      epoch: z.string().max(64),
      head: seq(),
      /** The client's epoch did not match: it must drop its state and rebuild from seq 0. */
      resync: z.boolean(),
    }),
    z.strictObject({ t: z.literal('events'), events: z.array(relayEvent()).max(10_000) }),
    z.strictObject({ t: z.literal('error'), code: z.string().max(64), message: z.string().max(2000), hint: z.string().max(2000) }),
    /** A `post` done and durable: the HTTP status and answer of the same request over HTTP. */
    z.strictObject({ t: z.literal('posted'), id: postId(), status: z.number().int(), answer: z.record(z.string(), z.unknown()) }),
    /** A `post` refused: the HTTP status and error of the same request over HTTP. */
    z.strictObject({
      t: z.literal('refused'),
      id: postId(),
      status: z.number().int(),
      code: z.string().max(64),
      message: z.string().max(2000),
      hint: z.string().max(2000),
      details: z.unknown().optional(),
    }),
    /** Someone (`by`: a host or `admin`) asks for the last lines of a session of this host: answer `peeked`. */
    z.strictObject({
      t: z.literal('peek'),
      id: peekId(),
      by: z.string().max(64),
      session: NameSchema,
      lines: z.number().int().min(1).max(PEEK_LIMITS.lines),
    }),
  ]),
);

export const ClientMessageSchema = z.lazy(clientMessage);
export const ServerMessageSchema = z.lazy(serverMessage);
