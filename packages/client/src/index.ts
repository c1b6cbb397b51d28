// The relay's HTTP client, used by the CLI and the host agent: one method per route, answers
// checked with core's schemas, and what to say when the relay cannot be reached.
export * from './client.js';
export * from './admin.js';
export type { FetchLike } from './http.js';
export { displayUrl, isLoopbackUrl, unreachable, unreachableHint } from './unreachable.js';
export { createSpawnClient, type SpawnClient } from './spawns.js';
