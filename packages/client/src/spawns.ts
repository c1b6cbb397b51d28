// The relay routes of spawn and kill requests (docs/SPAWN.md), beside the main client: the
// requester asks, the asked host's agent reports what it did. Outcomes are read from the log.
import {
  API_PREFIX,
  type KillRequest,
  type KillResultBody,
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
  };
}
