import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrosstalkError, LIMITS } from '@crosstalk/core';
import { readBody } from './body.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-body-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const stdin = (data: string | Buffer, isTTY = false) => Object.assign(Readable.from([Buffer.from(data)]), { isTTY });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof CrosstalkError ? err.code : String(err)),
  );

describe('readBody', () => {
  it('takes --body, then --body-file (- is stdin), then stdin when it is not a terminal', async () => {
    expect(await readBody({ stdin: stdin('ignored'), cwd: dir }, { body: 'from flag' })).toBe('from flag');
    await writeFile(join(dir, 'b.md'), 'from file\n');
    expect(await readBody({ stdin: stdin('ignored'), cwd: dir }, { bodyFile: 'b.md' })).toBe('from file\n');
    expect(await readBody({ stdin: stdin('from dash'), cwd: dir }, { bodyFile: '-' })).toBe('from dash');
    expect(await readBody({ stdin: stdin('from stdin'), cwd: dir }, {})).toBe('from stdin');
  });

  it('never waits on a terminal: no body there is EMPTY_BODY', async () => {
    expect(await codeOf(readBody({ stdin: stdin('typed', true), cwd: dir }, {}))).toBe('EMPTY_BODY');
  });

  it('refuses more than 64 KiB from any source, and accepts exactly 64 KiB', async () => {
    const limit = LIMITS.bodyBytes;
    expect(await codeOf(readBody({ stdin: stdin('x'.repeat(limit + 1)), cwd: dir }, {}))).toBe('BODY_TOO_LARGE');
    // An endless stream is cut off at the limit instead of being read to the end.
    const endless = Object.assign(
      new Readable({
        read() {
          this.push(Buffer.alloc(16 * 1024, 0x61));
        },
      }),
      { isTTY: false },
    );
    expect(await codeOf(readBody({ stdin: endless, cwd: dir }, {}))).toBe('BODY_TOO_LARGE');
    await writeFile(join(dir, 'big.md'), 'x'.repeat(limit + 1));
    expect(await codeOf(readBody({ stdin: stdin(''), cwd: dir }, { bodyFile: 'big.md' }))).toBe('BODY_TOO_LARGE');
    expect(await readBody({ stdin: stdin('é'.repeat(limit / 2)), cwd: dir }, {})).toHaveLength(limit / 2);
    expect(await codeOf(readBody({ stdin: stdin(`${'é'.repeat(limit / 2)}x`), cwd: dir }, {}))).toBe('BODY_TOO_LARGE');
  });

  it('refuses invalid UTF-8, NUL, blank bodies, two sources and missing files', async () => {
    expect(await codeOf(readBody({ stdin: stdin(Buffer.from([0xc3, 0x28])), cwd: dir }, {}))).toBe('INVALID_TEXT');
    expect(await codeOf(readBody({ stdin: stdin('a\u0000b'), cwd: dir }, {}))).toBe('INVALID_TEXT');
    expect(await codeOf(readBody({ stdin: stdin(' \n\t'), cwd: dir }, {}))).toBe('EMPTY_BODY');
    expect(await codeOf(readBody({ stdin: stdin('x'), cwd: dir }, { body: 'a', bodyFile: 'b' }))).toBe('INVALID_REQUEST');
    expect(await codeOf(readBody({ stdin: stdin('x'), cwd: dir }, { bodyFile: 'missing.md' }))).toBe('INVALID_REQUEST');
  });
});
