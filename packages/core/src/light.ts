// What of core a command on the hot path may load (the option table, the body checks, the errors,
// the local endpoint's words): no schema library. The package's main entry re-exports the schemas
// too, and a bundle that imports it carries them, used or not.
export * from './errors.js';
export * from './limits.js';
export * from './log-levels.js';
export * from './names.js';
export * from './protocol.js';
export * from './session-state.js';
export * from './text.js';
export * from './words.js';
