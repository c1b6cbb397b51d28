import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CrosstalkError, ERRORS, isErrorCode } from './errors.js';
import { renderErrorsDoc } from './errors-doc.js';

describe('error catalogue', () => {
  it('gives every code a status, an exit code, a message and a hint', () => {
    const statuses = new Set([400, 401, 403, 404, 409, 413, 422, 426, 429, 500, 503, 504]);
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(statuses.has(e.status), `${code} status ${e.status}`).toBe(true);
      expect([1, 2, 3, 4, 5, 124, 130]).toContain(e.exit);
      expect(e.message.length).toBeGreaterThan(3);
      expect(e.hint.length).toBeGreaterThan(3);
    }
  });
  it('round-trips through the wire body and keeps unknown codes safe', () => {
    const e = new CrosstalkError('NOT_YOUR_TURN', 'custom', { details: { next: ['a'] } });
    const back = CrosstalkError.fromBody(JSON.parse(JSON.stringify(e.toBody())));
    expect(back).toMatchObject({
      code: 'NOT_YOUR_TURN',
      message: 'custom',
      hint: ERRORS.NOT_YOUR_TURN.hint,
      status: 409,
      exitCode: 3,
      details: { next: ['a'] },
    });
    expect(CrosstalkError.fromBody({ code: 'WHAT', message: 'm' }).code).toBe('INTERNAL');
    expect(CrosstalkError.fromBody('garbage', 502).message).toContain('502');
    expect(isErrorCode('toString')).toBe(false);
  });
  it('docs/ERRORS.md is generated from the catalogue and current (npm run docs)', () => {
    const doc = readFileSync(new URL('../../../docs/ERRORS.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderErrorsDoc());
    for (const code of Object.keys(ERRORS)) expect(doc).toContain(`\`${code}\``);
  });
});

describe('release version', () => {
  it('is the same in every package.json', async () => {
    const { CROSSTALK_VERSION } = await import('./protocol.js');
    for (const pkg of ['core', 'relay', 'agent', 'cli']) {
      const json = JSON.parse(readFileSync(new URL(`../../${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string };
      expect(json.version, pkg).toBe(CROSSTALK_VERSION);
    }
  });
});
