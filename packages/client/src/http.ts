// One HTTP exchange with the relay: a fresh token, a JSON body, a deadline, a bounded and
// validated answer, and every failure turned into a CrosstalkError.
import { CrosstalkError, PROTOCOL_HEADER, PROTOCOL_VERSION, type Schema } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import { fetchTransport, nodeTransport, TransportError, type Transport } from './transport.js';
import { displayUrl, unreachable } from './unreachable.js';
import { nearMiss, pathMiss } from './wrong-url.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

// One keep-alive transport per process, shared by every client.
let sharedTransport: Transport | undefined;
const defaultTransport = (): Transport => (sharedTransport ??= nodeTransport());

export interface HttpOptions {
  /** Base URL of the relay, e.g. `http://127.0.0.1:7717`. */
  relayUrl: string;
  /** Signs a fresh token per request; absent for the unauthenticated routes. */
  signer?: TokenSigner | undefined;
  /** Deadline for one request, from sending to the last byte of the answer. */
  timeoutMs: number;
  /** A fetch implementation to use instead of node:http (tests, proxies). */
  fetch?: FetchLike | undefined;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  body?: unknown;
  /** Whether the route needs a token. */
  auth: boolean;
  /** Largest answer accepted, in bytes. */
  maxBytes: number;
  timeoutMs?: number | undefined;
}

function joinUrl(relayUrl: string, path: string, query: RequestSpec['query']): string {
  const base = relayUrl.endsWith('/') ? relayUrl.slice(0, -1) : relayUrl;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

function tooLarge(url: string, maxBytes: number): CrosstalkError {
  return new CrosstalkError('INTERNAL', `the relay at ${displayUrl(url)} sent an answer larger than ${maxBytes} bytes`, {
    hint: 'check that the URL points at a crosstalk relay (`crosstalk doctor`)',
  });
}

function badAnswer(url: string, what: string): CrosstalkError {
  return new CrosstalkError('INTERNAL', `the relay at ${displayUrl(url)} sent an unexpected answer: ${what}`, {
    hint: 'check that the URL points at a crosstalk relay of the same version (`crosstalk doctor`)',
  });
}

/** A JSON answer, checked with `schema` before anyone uses it. */
export async function requestJson<T>(options: HttpOptions, spec: RequestSpec, schema: Schema<T>): Promise<T> {
  const raw = await exchange(options, spec, 'application/json');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badAnswer(options.relayUrl, `${spec.method} ${spec.path} did not answer with JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badAnswer(options.relayUrl, `${spec.method} ${spec.path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** A text answer (the markdown copy), as it came. */
export async function requestText(options: HttpOptions, spec: RequestSpec): Promise<string> {
  return (await exchange(options, spec, 'text/markdown')).toString('utf8');
}

/** Sends one request; the answer's bytes if the relay accepted it, else its error. */
async function exchange(options: HttpOptions, spec: RequestSpec, accept: string): Promise<Buffer> {
  const url = joinUrl(options.relayUrl, spec.path, spec.query);
  const headers: Record<string, string> = { accept, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  if (spec.auth) {
    if (!options.signer) throw new CrosstalkError('NOT_ENROLLED', `${spec.method} ${spec.path} needs a credential and this client has none`);
    headers.authorization = `Bearer ${await options.signer.mint()}`;
  }
  let body: string | undefined;
  if (spec.body !== undefined) {
    body = JSON.stringify(spec.body);
    headers['content-type'] = 'application/json';
  }
  const timeoutMs = spec.timeoutMs ?? options.timeoutMs;
  const transport = options.fetch ? fetchTransport(options.fetch) : defaultTransport();
  let res: { status: number; body: Buffer };
  try {
    res = await transport({ url, method: spec.method, headers, body, timeoutMs, maxBytes: spec.maxBytes });
  } catch (err) {
    if (err instanceof TransportError && err.reason === 'too-large') throw tooLarge(options.relayUrl, spec.maxBytes);
    if (err instanceof TransportError && err.reason === 'timeout') {
      throw unreachable(options.relayUrl, `no answer within ${Math.round(timeoutMs / 100) / 10} s`, err);
    }
    const why = err instanceof TransportError ? err.reason : String(err).slice(0, 120);
    throw (await nearMiss(transport, options.relayUrl, why)) ?? unreachable(options.relayUrl, why, err);
  }
  if (res.status < 200 || res.status > 299) {
    const error = errorFromAnswer(res.status, res.body);
    throw error.code === 'NOT_FOUND' ? await pathMiss(transport, options.relayUrl, error) : error;
  }
  return res.body;
}

function errorFromAnswer(status: number, raw: Buffer): CrosstalkError {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    json = undefined;
  }
  return CrosstalkError.fromBody(json, status);
}
