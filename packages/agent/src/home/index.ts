export * from './config.js';
export * from './host-key.js';
export * from './layout.js';
