export * from './client.js';
export * from './identity.js';
export * from './schemas.js';
export { displayUrl, type FetchLike } from './http.js';
