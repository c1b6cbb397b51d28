export * from './backoff.js';
export * from './link.js';
