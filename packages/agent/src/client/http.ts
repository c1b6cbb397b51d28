// One HTTP exchange with the relay: a fresh token, a JSON body, a deadline, a bounded and
// validated answer, and every failure turned into a CrosstalkError.
import { CrosstalkError } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import type * as z from 'zod';
import { fetchTransport, nodeTransport, TransportError, type Transport } from './transport.js';

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

export interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  body?: unknown;
  /** Whether the route needs a token. */
  auth: boolean;
  /** Largest answer accepted, in bytes. */
  maxBytes: number;
  timeoutMs?: number | undefined;
  /** `json` answers are validated with `schema`; `text` answers are returned as they are. */
  expect: { kind: 'json'; schema: z.ZodType<T> } | { kind: 'text' };
}

/** The URL a message shows: origin and path, never more. */
export function displayUrl(relayUrl: string): string {
  try {
    const u = new URL(relayUrl);
    return `${u.origin}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return relayUrl.slice(0, 200);
  }
}

/** Whether the URL names this machine (a relay `crosstalk up` or `relay serve` would run here). */
export function isLoopbackUrl(relayUrl: string): boolean {
  try {
    const host = new URL(relayUrl).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

/** What to do about a relay that does not answer, depending on where it is. */
export function unreachableHint(relayUrl: string, options: { suggestDoctor?: boolean } = {}): string {
  if (isLoopbackUrl(relayUrl)) return 'the relay runs on this machine: start it with `crosstalk up` (relay and agent together) or `crosstalk relay serve`';
  const check = `check that the relay runs and that this machine reaches ${displayUrl(relayUrl)} (address, firewall, VPN)`;
  return options.suggestDoctor === false ? check : `${check}; \`crosstalk doctor\` checks the whole setup`;
}

/**
 * EPERM and EACCES on connect come from the operating system, not the network: a sandbox around
 * this process (Codex runs shell commands in one, without network by default) forbade it.
 */
export function sandboxBlocked(why: string): boolean {
  return why === 'EPERM' || why === 'EACCES';
}

export const SANDBOX_HINT =
  'a sandbox around this command blocks network connections (Codex runs shell commands in one by default): ' +
  'run `crosstalk skill install` once on this machine so that crosstalk\'s conversation commands may run outside it, ' +
  'then start the coding agent again; `crosstalk doctor` shows what is installed';

export function unreachable(relayUrl: string, why: string, cause?: unknown): CrosstalkError {
  const blocked = sandboxBlocked(why);
  const message = blocked
    ? `could not connect to the relay at ${displayUrl(relayUrl)}: the connection was not allowed (${why})`
    : `relay unreachable at ${displayUrl(relayUrl)} (${why})`;
  return new CrosstalkError('RELAY_UNREACHABLE', message, {
    hint: blocked ? SANDBOX_HINT : unreachableHint(relayUrl),
    details: { relayUrl: displayUrl(relayUrl) },
    cause,
  });
}

function joinUrl(relayUrl: string, path: string, query: RequestSpec<unknown>['query']): string {
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

export async function request<T>(options: HttpOptions, spec: RequestSpec<T>): Promise<T> {
  const url = joinUrl(options.relayUrl, spec.path, spec.query);
  const headers: Record<string, string> = { accept: spec.expect.kind === 'json' ? 'application/json' : 'text/markdown' };
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
    throw unreachable(options.relayUrl, err instanceof TransportError ? err.reason : String(err).slice(0, 120), err);
  }
  const raw = res.body;
  if (res.status < 200 || res.status > 299) throw errorFromAnswer(res.status, raw);
  if (spec.expect.kind === 'text') return raw.toString('utf8') as T;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badAnswer(options.relayUrl, `${spec.method} ${spec.path} did not answer with JSON`);
  }
  const parsed = spec.expect.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badAnswer(options.relayUrl, `${spec.method} ${spec.path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
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
