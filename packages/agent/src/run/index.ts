export * from './agent.js';
export * from './logger.js';
export * from './status.js';
export * from './tuning.js';
