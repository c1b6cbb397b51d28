import { describe, expect, it } from 'vitest';
import { processAlive } from './process-alive.js';

describe('processAlive', () => {
  it('tells a running process from a gone one', () => {
    expect(processAlive(process.pid)).toBe(true);
    // Above Linux's largest pid (2^22) and macOS's (99,999): never a live process.
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });
});
