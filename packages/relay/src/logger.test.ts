// The relay's log lines carry ISO times, as the agent's do, and never a token.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('relay logger', () => {
  it('writes ISO times and redacts tokens', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const log = createLogger('info', out);
    log.info({ token: 'secret-token' }, 'hello');
    await new Promise((r) => setImmediate(r));
    const line = JSON.parse(chunks.join('').trim().split('\n')[0] as string) as { time: unknown; token: unknown };
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line.token).toBe('[redacted]');
  });
});
