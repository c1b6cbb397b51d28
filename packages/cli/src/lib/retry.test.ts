import { describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { idempotencyKey, retryable, withRetry } from './retry.js';

describe('withRetry', () => {
  it('retries an unreachable relay and server failures with the same request, then succeeds', async () => {
    const key = idempotencyKey();
    const seen: string[] = [];
    const failures = [new CrosstalkError('RELAY_UNREACHABLE'), new CrosstalkError('INTERNAL')];
    const result = await withRetry(
      async () => {
        seen.push(key);
        const next = failures.shift();
        if (next) throw next;
        return 'posted';
      },
      { baseMs: 1 },
    );
    expect(result).toBe('posted');
    expect(seen).toEqual([key, key, key]);
  });

  it('does not retry what the relay refused on purpose', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new CrosstalkError('NOT_YOUR_TURN');
        },
        { baseMs: 1 },
      ),
    ).rejects.toMatchObject({ code: 'NOT_YOUR_TURN' });
    expect(calls).toBe(1);
  });

  it('gives up after the attempts with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new CrosstalkError('RELAY_UNREACHABLE', `try ${calls}`);
        },
        { attempts: 3, baseMs: 1 },
      ),
    ).rejects.toMatchObject({ code: 'RELAY_UNREACHABLE', message: 'try 3' });
    expect(calls).toBe(3);
  });

  it('keys are fresh, URL-safe and long enough', () => {
    const a = idempotencyKey();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(idempotencyKey()).not.toBe(a);
    expect(retryable(new Error('x'))).toBe(false);
    expect(retryable(new CrosstalkError('SHUTTING_DOWN'))).toBe(true);
  });
});
