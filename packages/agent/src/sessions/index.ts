export * from './join.js';
export * from './local-sessions.js';
export * from './waiting.js';
