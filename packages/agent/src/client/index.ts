export * from './client.js';
export * from './identity.js';
export * from './schemas.js';
export { displayUrl, isLoopbackUrl, unreachableHint, type FetchLike } from './http.js';
