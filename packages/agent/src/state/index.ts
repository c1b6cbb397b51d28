export * from './replica.js';
export * from './store.js';
