export * from './join.js';
export * from './local-sessions.js';
