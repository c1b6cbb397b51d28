export * from './config.js';
export * from './host-key.js';
export * from './key-signer.js';
export * from './layout.js';
