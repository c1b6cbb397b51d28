// The build compiles the CLI without its tests; this runs the compiler over the tests too, so the
// type-level tests (options/typed.test.ts and its @ts-expect-error lines) are really checked.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const config = fileURLToPath(new URL('../tsconfig.test.json', import.meta.url));

describe('the CLI with its tests', () => {
  it('type-checks', async () => {
    // tsc exits non-zero on any error: its report is the failure message.
    const run = await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', config]).then(
      () => ({ code: 0, report: '' }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code, report: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    expect(run.report).toBe('');
    expect(run.code).toBe(0);
  }, 120_000);
});
