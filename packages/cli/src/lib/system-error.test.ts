import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { isMissing, isSystemError } from './system-error.js';

describe('errors the system reports', () => {
  it('are told from crosstalk errors and from bugs', async () => {
    const missing = await readFile('/nonexistent/crosstalk').catch((err: unknown) => err);
    expect(isSystemError(missing)).toBe(true);
    expect(isMissing(missing)).toBe(true);
    const directory = await readFile('/').catch((err: unknown) => err);
    expect([isSystemError(directory), isMissing(directory)]).toEqual([true, false]);
    expect(isSystemError(new CrosstalkError('NOT_ENROLLED'))).toBe(false);
    expect(isSystemError(new TypeError('x is not a function'))).toBe(false);
  });
});
