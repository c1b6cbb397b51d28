// What every suite's deadline rests on: the value waitFor returns, its retries, and what a timeout says.
import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it("returns the check's first value that is not undefined, null or false", async () => {
    const seen: unknown[] = [undefined, null, false, 0, 'later'];
    let looks = 0;
    const value = await waitFor('a value', () => seen[looks++] as number | undefined | null | false, { intervalMs: 1 });
    expect(value).toBe(0);
    expect(looks).toBe(4);
  });

  it('looks again at a check that throws, and returns once it holds', async () => {
    let looks = 0;
    const value = await waitFor(
      'the third look',
      async () => {
        looks++;
        if (looks < 3) throw new Error(`not yet (${looks})`);
        return `look ${looks}`;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('look 3');
  });

  it('times out naming what it waited for, the last error and the logs', async () => {
    let looks = 0;
    const failure = await waitFor(
      'the impossible',
      () => {
        looks++;
        throw new Error(`still broken after ${looks} looks`);
      },
      { timeoutMs: 30, intervalMs: 5, logs: async () => '--- relay\nlistening' },
    ).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^timed out after 30 ms waiting for the impossible\nlast error: Error: still broken after \d+ looks/);
    expect((failure as Error).message).toMatch(/\n--- relay\nlistening$/);
  });

  it('forgets an error once the check stops throwing, and says when the logs could not be read', async () => {
    let looks = 0;
    const failure = await waitFor(
      'a quiet check',
      () => {
        looks++;
        if (looks === 1) throw new Error('first look failed');
        return false;
      },
      {
        timeoutMs: 30,
        intervalMs: 5,
        logs: () => {
          throw new Error('no logs here');
        },
      },
    ).catch((error: Error) => error);
    expect((failure as Error).message).not.toContain('first look failed');
    expect((failure as Error).message).toContain('(logs unavailable: Error: no logs here)');
  });
});
