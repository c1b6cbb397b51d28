// Reading what a request carries: its principal, JSON body and query numbers, all checked.
import { CrosstalkError, parseJson, PROTOCOL_VERSION } from '@crosstalk/core';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type * as z from 'zod';
import type { Principal } from '../auth/verify.js';
import { hostOf } from '../posts/run.js';
import { fromZod } from './errors.js';

/** `protocol`: the version the request stated (see protocol.ts in http/), which its answer speaks. */
export type RelayEnv = { Bindings: HttpBindings; Variables: { principal: Principal; protocol: number } };
export type RelayContext = Context<RelayEnv>;

const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
// Strict: a body that is not UTF-8 is refused, not read with replacement characters.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses and validates the JSON body. `emptyAs` stands in for an empty body where all fields are optional. */
export async function readBody<S extends z.ZodType>(c: RelayContext, schema: S, emptyAs?: unknown): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await readJson(c, emptyAs));
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

/** The JSON body, parsed but not yet checked against a schema. */
export async function readJson(c: RelayContext, emptyAs?: unknown): Promise<unknown> {
  const bytes = await c.req.arrayBuffer();
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch (err) {
    // The fatal decoder's TypeError: the body is not UTF-8.
    if (!(err instanceof TypeError)) throw err;
    throw new CrosstalkError('INVALID_TEXT', 'the request body is not valid UTF-8');
  }
  let value: unknown;
  if (text.trim() === '' && emptyAs !== undefined) {
    value = emptyAs;
  } else {
    const type = c.req.header('content-type') ?? '';
    if (!JSON_TYPE.test(type)) {
      throw new CrosstalkError('INVALID_REQUEST', 'the body must be JSON sent with content-type: application/json');
    }
    value = parseJson(text);
    if (value === undefined) throw new CrosstalkError('INVALID_REQUEST', 'the body is not valid JSON');
  }
  return value;
}

/** A whole number from the query string, or the default when absent. */
export function queryInt(c: RelayContext, name: string, options: { min: number; max: number; default: number }): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return options.default;
  if (!/^\d{1,16}$/.test(raw)) throw new CrosstalkError('INVALID_REQUEST', `?${name} must be a whole number`);
  const n = Number(raw);
  if (n < options.min || n > options.max) throw new CrosstalkError('INVALID_REQUEST', `?${name} must be from ${options.min} to ${options.max}`);
  return n;
}

/** The protocol version the caller speaks (PROTOCOL_VERSION when the request never reached the check). */
export function protocolOf(c: RelayContext): number {
  return c.get('protocol') ?? PROTOCOL_VERSION;
}

export function principalOf(c: RelayContext): Principal {
  return c.get('principal');
}

/** The calling host; the admin key acts as no host and owns no session. */
export function requireHost(c: RelayContext): string {
  return hostOf(principalOf(c));
}

export function requireAdmin(c: RelayContext): void {
  if (principalOf(c).kind !== 'admin') throw new CrosstalkError('ADMIN_REQUIRED');
}
