export * from './journal.js';
export * from './orchestrator.js';
export * from './plan.js';
export * from './presence.js';
