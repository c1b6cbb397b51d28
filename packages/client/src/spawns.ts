// The relay routes of spawn and kill requests (docs/SPAWN.md), beside the main client: the
// requester asks, the asked host's agent reports what it did. Outcomes are read from the log.
// A remote peek is answered at once, with the screen the session's host agent read.
import {
  API_PREFIX,
  type KillRequest,
  type KillResultBody,
  type PeekAnswer,
  PeekAnswerSchema,
  type PeekRequest,
  type RequestAnswer,
  RequestAnswerSchema,
  type SpawnRequest,
  type SpawnResultBody,
} from '@crosstalk/core';
import { requestJson } from './http.js';
import type { RelayClientOptions } from './client.js';

export interface SpawnClient {
  requestSpawn(body: SpawnRequest): Promise<RequestAnswer>;
  reportSpawn(body: SpawnResultBody): Promise<RequestAnswer>;
  requestKill(body: KillRequest): Promise<RequestAnswer>;
  reportKill(body: KillResultBody): Promise<RequestAnswer>;
  /** The last lines of another host's session, read by that host's agent (which may refuse). */
  peek(body: { session: string; lines?: number }): Promise<PeekAnswer>;
}

export function createSpawnClient(options: RelayClientOptions): SpawnClient {
  const http = { relayUrl: options.relayUrl, signer: options.signer, timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch };
  const post = (path: string, body: unknown) =>
    requestJson(http, { method: 'POST', path: `${API_PREFIX}${path}`, body, auth: true, maxBytes: 64 * 1024 }, RequestAnswerSchema);
  return {
    requestSpawn: (body) => post('/spawns', body),
    reportSpawn: (body) => post('/spawns/results', body),
    requestKill: (body) => post('/kills', body),
    reportKill: (body) => post('/kills/results', body),
    // The relay waits up to 15 s for the host's agent.
    peek: (body: Partial<PeekRequest> & { session: string }) =>
      requestJson(
        { ...http, timeoutMs: Math.max(http.timeoutMs, 25_000) },
        { method: 'POST', path: `${API_PREFIX}/peeks`, body, auth: true, maxBytes: 512 * 1024 },
        PeekAnswerSchema,
      ),
  };
}
