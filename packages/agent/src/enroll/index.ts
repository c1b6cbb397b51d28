export * from './enroll.js';
export * from './host-name.js';
